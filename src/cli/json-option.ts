import type { Command } from 'commander';
import { setJsonErrors } from './command-runner';

function leaves(command: Command): Command[] {
  return command.commands.length === 0 ? [command] : command.commands.flatMap(leaves);
}

/**
 * Gives every command of the tree `--json` (those that lack it print only their errors as JSON)
 * and switches error printing to JSON for the command that runs with it:
 * `{"error":{"code","message","hint"}}` on stdout, exit status unchanged.
 */
export function addJsonEverywhere(program: Command): void {
  for (const command of leaves(program)) {
    if (command === program) continue;
    if (!command.options.some((option) => option.long === '--json')) command.option('--json', 'вывести JSON (ошибки — тоже)');
  }
  program.hook('preAction', (_root, action) => {
    setJsonErrors(action.opts<{ json?: boolean }>().json === true);
  });
}
