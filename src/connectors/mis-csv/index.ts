export * from './read-mis-csv';
export * from './mis-csv-writer';
export { MIS_FILES, type FileSpec, type ColumnSpec } from './file-specs';
export * from './mis-json';
