export { looksLikeOneRoster } from './looks-like-oneroster';
export { readOneRoster, type ReadOneRosterOptions } from './read-oneroster';
export { ONEROSTER_FILES, UNREAD_ONEROSTER_FILES, type OneRosterFileSpec, type OneRosterColumn } from './file-specs';
export { createOneRosterWriter } from './one-roster-writer';
export { writeOneRosterBulk, writeOneRosterDelta, zipBundle, type DeltaSummary } from './bundle-files';
export { OneRosterTarget, ONEROSTER_CAPABILITIES, ONEROSTER_CARRIED, type OneRosterTargetOptions } from './oneroster-target';
