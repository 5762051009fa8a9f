import type { Command } from 'commander';

/** Registers `ejsync sync` (not implemented yet). */
export function register(program: Command): void {
  void program;
}
