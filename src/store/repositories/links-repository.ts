import { NONE } from '../none';
import type { Kysely } from 'kysely';
import type { Database } from '../schema';

export interface LinkRecord {
  id: string;
  name: string;
  schoolId: string;
  platform: string;
  /** The validated link configuration (see `src/config/link-config.ts`). */
  config: unknown;
  paused: boolean;
}

export class LinksRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async upsert(link: Omit<LinkRecord, 'paused'> & { paused?: boolean }): Promise<void> {
    await this.db
      .insertInto('links')
      .values({ id: link.id, name: link.name, school_id: link.schoolId, platform: link.platform, config: JSON.stringify(link.config), paused: link.paused ?? false })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ name: link.name, school_id: link.schoolId, platform: link.platform, config: JSON.stringify(link.config), updated_at: new Date() }),
      )
      .execute();
  }

  async get(id: string): Promise<LinkRecord | null> {
    const r = await this.db.selectFrom('links').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? { id: r.id, name: r.name, schoolId: r.school_id, platform: r.platform, config: r.config, paused: r.paused } : null;
  }

  async list(schoolIds?: string[]): Promise<LinkRecord[]> {
    let q = this.db.selectFrom('links').selectAll();
    if (schoolIds) q = q.where('school_id', 'in', schoolIds.length ? schoolIds : [NONE]);
    const rows = await q.orderBy('name').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, schoolId: r.school_id, platform: r.platform, config: r.config, paused: r.paused }));
  }

  async setPaused(id: string, paused: boolean): Promise<void> {
    await this.db.updateTable('links').set({ paused, updated_at: new Date() }).where('id', '=', id).execute();
  }
}
