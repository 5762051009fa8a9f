import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface LinksTable {
  id: string;
  name: string;
  school_id: string;
  platform: string;
  config: Json<unknown>;
  paused: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RunsTable {
  id: string;
  link_id: string;
  school_id: string;
  kind: ColumnType<string, string | undefined, string>;
  status: string;
  trigger: string;
  triggered_by: string | null;
  environment: string;
  target_url: string | null;
  counts: Json<Record<string, unknown>>;
  summary: Json<Record<string, unknown>>;
  held_reasons: Json<unknown[]>;
  parent_run_id: string | null;
  error_code: string | null;
  writes: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  updated_at: Timestamp;
  /** The run holds its link (planning or applying): one holder per link (migration 0007). */
  holds_link: ColumnType<boolean, boolean | undefined, boolean>;
  /** When the watchdog first saw the run with no live job. */
  idle_since: Timestamp | null;
  /** How many times the watchdog re-queued the run's work. */
  recoveries: ColumnType<number, number | undefined, number>;
  /** When the run's copies of personal data were purged under the retention policy (migration 0012). */
  personal_data_purged_at: ColumnType<Date | null, never, Date | string | null>;
}

export interface RunChangesTable {
  run_id: string;
  change_id: string;
  seq: number;
  phase: number;
  entity: string;
  op: string;
  source_id: string;
  target_id: string | null;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  changed_fields: Json<string[]> | null;
  status: ColumnType<string, string | undefined, string>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error_code: string | null;
  applied_at: Timestamp | null;
  /** The record as delivered (references in platform ids); null until applied, and for changes applied before 0004. */
  delivered: ColumnType<unknown, string | null | undefined, string | null>;
  /** What the change concerns in school terms, people by id only (`ChangeContext`, migration 0009); null before it. */
  context: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface DeliveriesTable {
  id: Generated<string>;
  run_id: string;
  link_id: string;
  change_id: string;
  entity: string;
  operation: string;
  source_id: string;
  target_id: string | null;
  attempt: number;
  outcome: string;
  method: string | null;
  path: string | null;
  status: number | null;
  error_code: string | null;
  retryable: boolean | null;
  duration_ms: number | null;
  detail: string | null;
  before_hash: string | null;
  after_hash: string | null;
  created_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface IdMapTable {
  link_id: string;
  entity: string;
  source_id: string;
  target_id: string;
  matched_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CursorsTable {
  link_id: string;
  name: string;
  value: string;
  run_id: string | null;
  updated_at: Timestamp;
}

export interface FindingsTable {
  id: Generated<string>;
  run_id: string;
  code: string;
  severity: string;
  entity: string | null;
  source_id: string | null;
  file: string | null;
  row_number: number | null;
  field: string | null;
  message: string;
  hint: string;
  created_at: Timestamp;
}

export interface ManualActionsTable {
  run_id: string;
  action_id: string;
  entity: string;
  op: string;
  source_id: string;
  title: string;
  fields: Json<unknown>;
  reason: string;
  status: ColumnType<string, string | undefined, string>;
}

/** One manual action of a link across runs (migration 0009); `fields` sealed. */
export interface ManualWorklistTable {
  link_id: string;
  action_id: string;
  school_id: string;
  entity: string;
  op: string;
  source_id: string;
  target_id: string | null;
  pupil_id: string | null;
  title: string;
  reason: string;
  fields: Json<unknown>;
  status: ColumnType<string, string | undefined, string>;
  first_run_id: string;
  last_run_id: string;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  done_by_oid: ColumnType<string | null, string | null | undefined, string | null>;
  done_by_name: ColumnType<string | null, string | null | undefined, string | null>;
  done_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  resolved_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  resolved_run_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Names of a link's school (pupils with classes, staff, guardians), sealed; refreshed at every plan (migration 0009). */
export interface SchoolRostersTable {
  link_id: string;
  school_id: string;
  school_name: string | null;
  roster: Json<unknown>;
  run_id: string | null;
  refreshed_at: Timestamp;
}

export interface AuditTable {
  id: Generated<string>;
  at: Timestamp;
  actor_oid: string;
  actor_name: string;
  action: string;
  object_type: string;
  object_id: string | null;
  school_id: string | null;
  details: Json<Record<string, unknown>>;
  /** The previous row's hash and this row's (migration 0011): the audit hash chain. */
  prev_hash: ColumnType<string | null, string | null | undefined, string | null>;
  hash: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SecretsTable {
  name: string;
  ciphertext: string;
  iv: string;
  tag: string;
  key_id: string;
  updated_at: Timestamp;
}

export interface AlertsTable {
  id: string;
  kind: string;
  link_id: string | null;
  run_id: string | null;
  channel: string;
  status: string;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  payload: Json<unknown>;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface RoleAssignmentsTable {
  oid: string;
  role: string;
  school_id: ColumnType<string, string | undefined, string>;
  assigned_by: string;
  created_at: Timestamp;
}

export interface PeopleLinksTable {
  oid: string;
  kind: string;
  school_id: string;
  source_id: string;
  matched_by: string;
  /** `linked`, `pending` (an operator decides) or `rejected`. */
  status: ColumnType<string, string | undefined, string>;
  /** Why a link is pending: `ambiguous`, `untrusted`, `children_mismatch`. */
  reason: string | null;
  /** `system` for automatic decisions, else the operator's oid. */
  decided_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Staff and guardians of each school as keyed hashes (HMAC-SHA256), for identity linking. */
export interface PersonDirectoryTable {
  school_id: string;
  kind: string;
  source_id: string;
  esia_oid: string | null;
  snils_hash: string | null;
  name_birth_hash: string | null;
  /** Guardians: `[{ pupilId, snilsHash?, nameBirthHash? }]`. */
  children: Json<unknown[]>;
  refreshed_at: Timestamp;
}

export interface SessionsTable {
  id_hash: string;
  csrf_token: string;
  principal: Json<unknown> | null;
  pending_state: string | null;
  return_to: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface PeriodLocksTable {
  link_id: string;
  period_id: string;
  reason: string;
  closed_by_oid: string;
  closed_by_name: string;
  closed_at: Timestamp;
}

/** A school's export kept in the store (migration 0013): one row per link and content. */
export interface ExportsTable {
  link_id: string;
  sha256: string;
  file_name: string;
  /** `zip` (a folder is kept zipped) or `json`. */
  format: string;
  size: ColumnType<string, number, number>;
  content: ColumnType<Uint8Array, Uint8Array, Uint8Array>;
  received_at: Timestamp;
}

/** A link's upload key, as a SHA-256 hash (migration 0013). */
export interface ExportUploadTokensTable {
  link_id: string;
  token_hash: string;
  created_at: Timestamp;
}

export interface Database {
  exports: ExportsTable;
  export_upload_tokens: ExportUploadTokensTable;
  links: LinksTable;
  runs: RunsTable;
  run_changes: RunChangesTable;
  deliveries: DeliveriesTable;
  id_map: IdMapTable;
  cursors: CursorsTable;
  findings: FindingsTable;
  manual_actions: ManualActionsTable;
  manual_worklist: ManualWorklistTable;
  school_rosters: SchoolRostersTable;
  audit: AuditTable;
  secrets: SecretsTable;
  alerts: AlertsTable;
  role_assignments: RoleAssignmentsTable;
  people_links: PeopleLinksTable;
  person_directory: PersonDirectoryTable;
  sessions: SessionsTable;
  period_locks: PeriodLocksTable;
}
