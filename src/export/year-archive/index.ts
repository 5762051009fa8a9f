export * from './year-journal-tables';
export * from './year-archive';
