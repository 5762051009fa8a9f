import type { Command } from 'commander';

/** Registers `ejsync validate` (not implemented yet). */
export function register(program: Command): void {
  void program;
}
