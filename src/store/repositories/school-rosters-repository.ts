import type { Kysely } from 'kysely';
import { NONE } from '../none';
import type { Database } from '../schema';
import type { PersonalDataBox } from './personal-data-box';

/** A link's roster as stored: the school's name in the clear (not personal), the rest sealed. */
export interface StoredRoster<T> {
  linkId: string;
  schoolId: string;
  schoolName: string | null;
  runId: string | null;
  refreshedAt: Date;
  roster: T;
}

const aad = (linkId: string) => `school_rosters/${linkId}`;

/**
 * One roster per link (the school's pupils with their classes, staff, guardians, classes and
 * subjects, as the latest plan read them from the МИС and the platform), sealed with the
 * installation key. The dashboard resolves people's ids to names from it for those allowed to
 * read them; nothing else keeps a name.
 */
export class SchoolRostersRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly personal: PersonalDataBox,
  ) {}

  async put<T>(linkId: string, schoolId: string, schoolName: string | null, roster: T, runId: string | null, at = new Date()): Promise<void> {
    const sealed = JSON.stringify(this.personal.seal(roster, aad(linkId)));
    await this.db
      .insertInto('school_rosters')
      .values({ link_id: linkId, school_id: schoolId, school_name: schoolName, roster: sealed, run_id: runId, refreshed_at: at })
      .onConflict((oc) => oc.column('link_id').doUpdateSet({ school_id: schoolId, school_name: schoolName, roster: sealed, run_id: runId, refreshed_at: at }))
      .execute();
  }

  /** When each link's roster was refreshed (cheap: nothing opened), for caches. */
  async versions(linkIds: readonly string[]): Promise<Map<string, Date>> {
    const rows = await this.db.selectFrom('school_rosters').select(['link_id', 'refreshed_at']).where('link_id', 'in', linkIds.length ? [...linkIds] : [NONE]).execute();
    return new Map(rows.map((r) => [r.link_id, new Date(r.refreshed_at)]));
  }

  /** Names of the schools of links (not sealed), by school id. */
  async schoolNames(): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('school_rosters').select(['school_id', 'school_name']).where('school_name', 'is not', null).execute();
    return new Map(rows.map((r) => [r.school_id, r.school_name!]));
  }

  async get<T>(linkId: string): Promise<StoredRoster<T> | null> {
    const r = await this.db.selectFrom('school_rosters').selectAll().where('link_id', '=', linkId).executeTakeFirst();
    if (!r) return null;
    return { linkId: r.link_id, schoolId: r.school_id, schoolName: r.school_name, runId: r.run_id, refreshedAt: new Date(r.refreshed_at), roster: this.personal.open<T>(r.roster, aad(linkId)) };
  }
}
