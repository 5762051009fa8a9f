export * from './cutoff';
export * from './emulator-state';
export * from './export-package';
export * from './multipart';
export * from './process-package';
export * from './sedizh-emulator';
