export * from './table-file';
export * from './findings-table';
