import type { Command } from 'commander';
import { buildProgram } from '../../../src/cli/main';

/** Every command of the tree, depth first. */
function commandsOf(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(commandsOf)];
}

/** What an administrator reads in `--help` is Russian, however the lines wrap. */
describe('CLI help', () => {
  const program = buildProgram();
  const helps = commandsOf(program).map((cmd) => ({ name: cmd.name(), text: cmd.helpInformation() }));

  it('covers the whole command tree', () => {
    expect(helps.map((h) => h.name)).toEqual(expect.arrayContaining(['ejsync', 'worker', 'plan', 'sync', 'demo', 'serve', 'show']));
  });

  it.each(['Usage:', 'Options:', 'Commands:', 'Arguments:', 'default:', 'choices:', 'display help'])('no command says %j', (english) => {
    // Words wrapped across lines are joined first: "(default:\n   8)" must not slip through.
    const offenders = helps.filter((h) => h.text.replace(/\s+/g, ' ').includes(english)).map((h) => h.name);
    expect(offenders).toEqual([]);
  });
});
