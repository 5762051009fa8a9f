import type { Command } from 'commander';

/** Registers `ejsync worker` (not implemented yet). */
export function register(program: Command): void {
  void program;
}
