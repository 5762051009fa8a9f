import type { Command } from 'commander';

/** Registers `ejsync discard` (not implemented yet). */
export function register(program: Command): void {
  void program;
}
