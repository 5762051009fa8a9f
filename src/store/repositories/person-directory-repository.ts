import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database } from '../schema';
import type { DirectoryKeys, PersonKeyHasher } from './person-key-hasher';

/** One staff member or guardian to keep: ids and key material (hashed before it is stored). */
export interface DirectoryEntryInput {
  kind: 'staff' | 'guardian';
  sourceId: string;
  esiaOid?: string;
  keys: DirectoryKeys;
  /** Guardians: their pupils, with the pupils' key material (for ЕСИА's children cross-check). */
  children: readonly { pupilId: string; keys: DirectoryKeys }[];
}

/** A directory record found for a sign-in: keys are the stored hashes. */
export interface DirectoryCandidate {
  kind: 'staff' | 'guardian';
  schoolId: string;
  sourceId: string;
  esiaOid?: string;
  keys: DirectoryKeys;
  children: { pupilId: string; keys: DirectoryKeys }[];
}

interface StoredChild {
  pupilId: string;
  snilsHash?: string;
  nameBirthHash?: string;
}

const CHUNK = 500;

/**
 * The person directory: staff and guardians of each school from the latest МИС read, so that a
 * sign-in finds the records it may be linked to. Holds ids, the ЕСИА oid when the МИС has it, and
 * keyed hashes of СНИЛС and of full name + birth date — no names, no СНИЛС, no birth dates.
 */
export class PersonDirectoryRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly hasher: PersonKeyHasher,
  ) {}

  /** Keyed hashes of key material (the same function the directory was written with). */
  hashKeys(keys: DirectoryKeys): Promise<DirectoryKeys> {
    return this.hasher.hash(keys);
  }

  /**
   * Replaces everything the directory holds for a school in one transaction: a sign-in at the
   * same moment sees the old directory or the new one, never a mix; a failure leaves the old one.
   */
  async replaceSchool(schoolId: string, entries: readonly DirectoryEntryInput[]): Promise<void> {
    const rows: Insertable<Database['person_directory']>[] = [];
    for (const e of entries) {
      const keys = await this.hasher.hash(e.keys);
      const children: StoredChild[] = [];
      for (const c of e.children) {
        const k = await this.hasher.hash(c.keys);
        children.push({ pupilId: c.pupilId, ...(k.snils ? { snilsHash: k.snils } : {}), ...(k.nameBirth ? { nameBirthHash: k.nameBirth } : {}) });
      }
      rows.push({
        school_id: schoolId,
        kind: e.kind,
        source_id: e.sourceId,
        esia_oid: e.esiaOid ?? null,
        snils_hash: keys.snils ?? null,
        name_birth_hash: keys.nameBirth ?? null,
        children: JSON.stringify(children),
      });
    }
    await this.db.transaction().execute(async (tx) => {
      // Two links of one school planning at once both replace its directory: without the lock
      // both deletes see nothing of the other's uncommitted rows and the second insert hits the
      // primary key (23505). The lock makes the second replacement wait for the first.
      await sql`select pg_advisory_xact_lock(hashtext(${`person_directory:${schoolId}`}))`.execute(tx);
      await tx.deleteFrom('person_directory').where('school_id', '=', schoolId).execute();
      for (let i = 0; i < rows.length; i += CHUNK) await tx.insertInto('person_directory').values(rows.slice(i, i + CHUNK)).execute();
    });
  }

  /** Records with this ЕСИА oid or these key hashes, in every school. */
  async find(query: { oid?: string; keys: DirectoryKeys }): Promise<DirectoryCandidate[]> {
    const rows = await this.db
      .selectFrom('person_directory')
      .selectAll()
      .where((eb) => {
        const any = [];
        if (query.oid) any.push(eb('esia_oid', '=', query.oid));
        if (query.keys.snils) any.push(eb('snils_hash', '=', query.keys.snils));
        if (query.keys.nameBirth) any.push(eb('name_birth_hash', '=', query.keys.nameBirth));
        return any.length ? eb.or(any) : eb.val(false);
      })
      .orderBy('school_id')
      .orderBy('kind')
      .orderBy('source_id')
      .execute();
    return rows.map((r) => ({
      kind: r.kind as DirectoryCandidate['kind'],
      schoolId: r.school_id,
      sourceId: r.source_id,
      ...(r.esia_oid ? { esiaOid: r.esia_oid } : {}),
      keys: { ...(r.snils_hash ? { snils: r.snils_hash } : {}), ...(r.name_birth_hash ? { nameBirth: r.name_birth_hash } : {}) },
      children: (r.children as StoredChild[]).map((c) => ({
        pupilId: c.pupilId,
        keys: { ...(c.snilsHash ? { snils: c.snilsHash } : {}), ...(c.nameBirthHash ? { nameBirth: c.nameBirthHash } : {}) },
      })),
    }));
  }

  /** Hashes the key material of a signed-in person and finds their candidate records. */
  async lookup(person: { oid: string; keys: DirectoryKeys }): Promise<{ keys: DirectoryKeys; candidates: DirectoryCandidate[] }> {
    const keys = await this.hasher.hash(person.keys);
    return { keys, candidates: await this.find({ oid: person.oid, keys }) };
  }

  /** How many people the directory holds for a school. */
  async count(schoolId: string): Promise<number> {
    const row = await this.db.selectFrom('person_directory').select((eb) => eb.fn.countAll<string>().as('n')).where('school_id', '=', schoolId).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
