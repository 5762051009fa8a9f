export * from './classify-failure';
export * from './dnevnik-client';
export * from './dnevnik-oauth';
export * from './dnevnik-connector';
export * from './read-platform-snapshot';
export * from './request-throttle';
export * from './dnevnik-setup';
