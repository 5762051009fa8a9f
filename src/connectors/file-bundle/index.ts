export * from './file-bundle';
export * from './text-decoding';
export * from './csv-rows';
export * from './byte-scan';
export * from './input-limits';
export * from './json-depth';
