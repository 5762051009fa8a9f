import type { Command } from 'commander';

/** Registers `ejsync serve` (not implemented yet). */
export function register(program: Command): void {
  void program;
}
