import type { Command } from 'commander';

/** Registers `ejsync plan` (not implemented yet). */
export function register(program: Command): void {
  void program;
}
