export * from './esia-person';
export * from './identity-keys';
export * from './link-person';
export * from './guardian-children';
export * from './link-decisions';
export * from './person-directory';
