import type { Command } from 'commander';

/** Registers `ejsync rollback` (not implemented yet). */
export function register(program: Command): void {
  void program;
}
