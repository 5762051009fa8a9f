/**
 * How the store's PostgreSQL connections are put in `EJSYNC_DATABASE_SCHEMA`
 * (`EJSYNC_DATABASE_SCHEMA_VIA`, see `OpenDatabaseOptions.schemaVia` in src/store/open-store.ts):
 * `startup` — the startup parameter `options=-c search_path=…`; `connect` — `SET search_path` on each
 * new connection; `role` — the role's own `search_path`, nothing sent (PgBouncer transaction pooling).
 */
export const SCHEMA_VIA = ['startup', 'connect', 'role'] as const;
export type SchemaVia = (typeof SCHEMA_VIA)[number];
