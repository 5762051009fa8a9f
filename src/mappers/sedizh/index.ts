export * from './package-mapping';
export * from './field-codec';
export * from './build-package';
export * from './parse-package';
export * from './package-snapshot';
export * from './receipt';
export * from './charset';
