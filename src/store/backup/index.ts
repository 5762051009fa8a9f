export * from './backup-archive';
export * from './backup-prune';
export * from './backup-retention';
export * from './store-backup';
export { storeTables, type StoreTable } from './store-tables';
