import type { Command } from 'commander';

/** Registers `ejsync emulator-dnevnik` (not implemented yet). */
export function register(program: Command): void {
  void program;
}
