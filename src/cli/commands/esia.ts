import type { Command } from 'commander';

/** Registers `ejsync esia` (not implemented yet). */
export function register(program: Command): void {
  void program;
}
