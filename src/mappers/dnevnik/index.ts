export * from './wire-types';
export * from './value-maps';
export * from './from-wire';
export * from './to-wire';
export * from './mark-system';
