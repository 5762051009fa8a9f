import type { Command } from 'commander';

/** Registers `ejsync dnevnik` (not implemented yet). */
export function register(program: Command): void {
  void program;
}
