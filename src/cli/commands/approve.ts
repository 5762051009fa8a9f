import type { Command } from 'commander';

/** Registers `ejsync approve` (not implemented yet). */
export function register(program: Command): void {
  void program;
}
