export * from './emulator-server';
export * from './emulator-options';
export * from './emulator-state';
export * from './onboard-school';
export * from './wire-shapes';
