import type { Command } from 'commander';

/** Registers `ejsync run-show` (not implemented yet). */
export function register(program: Command): void {
  void program;
}
