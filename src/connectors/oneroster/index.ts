export { looksLikeOneRoster } from './looks-like-oneroster';
export { readOneRoster, type ReadOneRosterOptions } from './read-oneroster';
export { ONEROSTER_FILES, UNREAD_ONEROSTER_FILES, type OneRosterFileSpec, type OneRosterColumn } from './file-specs';
export { createOneRosterWriter } from './one-roster-writer';
