export * from './emulator-server';
export * from './emulator-options';
export * from './emulator-state';
export * from './onboard-school';
export * from './wire-shapes';
export { consentAs } from './emulator-oauth';
export { EMULATOR_HEADER_NAME } from './emulator-strict';
export * from './mark-systems';
