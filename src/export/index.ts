export * from './table-file';
export * from './findings-table';
export * from './plan-tables';
export * from './year-archive';
