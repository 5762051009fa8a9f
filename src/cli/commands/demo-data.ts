import type { Command } from 'commander';

/** Registers `ejsync demo-data` (not implemented yet). */
export function register(program: Command): void {
  void program;
}
