import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

/** How a kept export is stored: a ZIP (a folder is zipped) or a МИС JSON document. */
export type ExportFormat = 'zip' | 'json';

/** What a run records of the export it planned from (no content). */
export interface ExportRef {
  /** SHA-256 of the bytes, hex. */
  sha256: string;
  /** When it was last received (ISO 8601). */
  receivedAt: string;
  size: number;
  fileName: string;
  format: ExportFormat;
}

export interface ExportRecord extends Omit<ExportRef, 'receivedAt'> {
  linkId: string;
  receivedAt: Date;
}

/** Runs that have not settled (held runs are planned again when approved). */
const UNSETTLED = ['planned', 'approved', 'applying', 'held'];

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

type Row = { link_id: string; sha256: string; file_name: string; format: string; size: string | number; received_at: Date };
const recordOf = (r: Row): ExportRecord => ({ linkId: r.link_id, sha256: r.sha256, fileName: r.file_name, format: r.format as ExportFormat, size: Number(r.size), receivedAt: new Date(r.received_at) });

/** The run summary's reference to an export. */
export const exportRefOf = (r: ExportRecord): ExportRef => ({ sha256: r.sha256, receivedAt: r.receivedAt.toISOString(), size: r.size, fileName: r.fileName, format: r.format });

/**
 * Schools' exports kept in the store, one row per link and content (content-addressed by
 * SHA-256: the same bytes received again only move `received_at`), and each link's upload key
 * (kept as a hash).
 */
export class ExportsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Keeps an export; the same content for the link again is the same row, received now. */
  async put(e: { linkId: string; sha256: string; fileName: string; format: ExportFormat; content: Uint8Array; receivedAt?: Date }): Promise<{ record: ExportRecord; duplicate: boolean }> {
    const receivedAt = e.receivedAt ?? new Date();
    return this.db.transaction().execute(async (tx) => {
      const seen = await tx.updateTable('exports').set({ received_at: receivedAt }).where('link_id', '=', e.linkId).where('sha256', '=', e.sha256).returning(['link_id', 'sha256', 'file_name', 'format', 'size', 'received_at']).executeTakeFirst();
      if (seen) return { record: recordOf(seen), duplicate: true };
      const row = await tx
        .insertInto('exports')
        .values({ link_id: e.linkId, sha256: e.sha256, file_name: e.fileName, format: e.format, size: e.content.byteLength, content: e.content, received_at: receivedAt })
        .returning(['link_id', 'sha256', 'file_name', 'format', 'size', 'received_at'])
        .executeTakeFirstOrThrow();
      return { record: recordOf(row), duplicate: false };
    });
  }

  /** The link's most recently received export, or null (then the link's `source.path` is read). */
  async newest(linkId: string): Promise<ExportRecord | null> {
    const row = await this.db
      .selectFrom('exports')
      .select(['link_id', 'sha256', 'file_name', 'format', 'size', 'received_at'])
      .where('link_id', '=', linkId)
      .orderBy('received_at', 'desc')
      .orderBy('sha256')
      .limit(1)
      .executeTakeFirst();
    return row ? recordOf(row) : null;
  }

  /** The link's kept exports, newest first (no content). */
  async list(linkId: string): Promise<ExportRecord[]> {
    const rows = await this.db.selectFrom('exports').select(['link_id', 'sha256', 'file_name', 'format', 'size', 'received_at']).where('link_id', '=', linkId).orderBy('received_at', 'desc').execute();
    return rows.map(recordOf);
  }

  /** The bytes of a kept export, or null when it is gone (purged). */
  async content(linkId: string, sha256: string): Promise<Buffer | null> {
    const row = await this.db.selectFrom('exports').select('content').where('link_id', '=', linkId).where('sha256', '=', sha256).executeTakeFirst();
    return row ? Buffer.from(row.content) : null;
  }

  /** Issues the link's upload key (the previous one stops working); only its hash is kept. Returns the key, to be shown once. */
  async issueUploadToken(linkId: string): Promise<string> {
    const token = `ejx_${randomBytes(32).toString('base64url')}`;
    await this.db
      .insertInto('export_upload_tokens')
      .values({ link_id: linkId, token_hash: sha256Hex(token), created_at: new Date() })
      .onConflict((oc) => oc.column('link_id').doUpdateSet({ token_hash: sha256Hex(token), created_at: new Date() }))
      .execute();
    return token;
  }

  /** Whether `presented` is the link's current upload key (compared in constant time). */
  async checkUploadToken(linkId: string, presented: string | undefined): Promise<boolean> {
    if (!presented) return false;
    const row = await this.db.selectFrom('export_upload_tokens').select('token_hash').where('link_id', '=', linkId).executeTakeFirst();
    if (!row) return false;
    const a = Buffer.from(sha256Hex(presented), 'hex');
    const b = Buffer.from(row.token_hash, 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

/**
 * Retention of kept exports: per link the newest `keepPerLink` stay, and any export an unsettled
 * run planned from (its summary's `sourceExport`); the rest go. Returns how many went.
 */
export async function purgeExports(db: Kysely<Database>, keepPerLink: number): Promise<number> {
  const result = await sql`
    delete from exports e
    using (
      select link_id, sha256, row_number() over (partition by link_id order by received_at desc, sha256) as n from exports
    ) ranked
    where ranked.link_id = e.link_id and ranked.sha256 = e.sha256 and ranked.n > ${keepPerLink}
      and not exists (
        select 1 from runs r
        where r.link_id = e.link_id and r.status in (${sql.join(UNSETTLED)})
          and r.summary -> 'sourceExport' ->> 'sha256' = e.sha256
      )`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
