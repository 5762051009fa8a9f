import type { Command } from 'commander';

/** Registers `ejsync runs` (not implemented yet). */
export function register(program: Command): void {
  void program;
}
