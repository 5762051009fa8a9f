import type { Command } from 'commander';

/** Registers `ejsync retry` (not implemented yet). */
export function register(program: Command): void {
  void program;
}
