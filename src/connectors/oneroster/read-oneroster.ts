import { emptySnapshot, makeFinding, type Finding, type School, type Snapshot, type SourceReadResult } from '../../model';
import type { FileBundle } from '../file-bundle';
import { checkReferences } from './check-references';
import { FILE_COLLECTIONS, rowCollections } from './file-collections';
import { filesFor, ONEROSTER_VERSIONS, unreadFilesFor, type OneRosterVersion } from './file-specs';
import { notOneRosterReason } from './looks-like-oneroster';
import { checkManifestVersions, declaredVersion, MANIFEST_FILE, parseManifest, type FileMode } from './manifest';
import { mapClasses } from './map-classes';
import { mapGuardianLinks } from './map-guardian-links';
import { mapMarks, readScoreScales } from './map-marks';
import { mapMemberships } from './map-memberships';
import { mapSchool } from './map-school';
import { mapSessions } from './map-sessions';
import { mapSubjects } from './map-subjects';
import { mapWorks } from './map-works';
import { markDeletedPeople, mapPeople } from './map-people';
import { MappingContext } from './mapping-context';
import type { RawPackage } from './raw-package';
import { readCsvHeader, readOneRosterFile, readPlainCsv } from './read-csv-file';
import { resolveRoles } from './resolve-roles';

export interface ReadOneRosterOptions {
  /**
   * The school's IANA time zone, used when orgs.csv has no `metadata.timeZone` column; it turns
   * OneRoster date-times (assignDate, scoreDate) into school-local days.
   * @defaultValue `Europe/Moscow`
   */
  timeZone?: string;
  /**
   * sourcedId of the school org to read from a district package with several schools.
   * @defaultValue the only org of type `school`
   */
  schoolSourcedId?: string;
  /**
   * The school to put in the Snapshot when the package has no school org (delta packages often
   * declare orgs.csv absent); in a district package it also picks the school with its sourceId.
   * Its time zone is the default of `timeZone`. A link passes its own school here.
   * @defaultValue none: such a package yields `oneroster.school_missing`
   */
  school?: School;
}

const FORMAT = 'oneroster' as const;

/**
 * Reads a 1EdTech OneRoster 1.1 or 1.2 CSV package (folder or ZIP) into a Snapshot: manifest
 * first, then every declared file streamed and checked row by row against its version's columns,
 * then references across files, then the mapping into canonical records, each validated through
 * the model's zod schema. Every problem is a finding with file, row, field and sourcedId; a record
 * with an error is left out whole. A set of CSV files that only shares OneRoster's file names
 * (another roster format) is refused as `oneroster.not_oneroster`. A package with delta files
 * yields `mode: 'delta'` and the ids of `tobedeleted` records in `deleted`. The result says which
 * collections each file feeds and which records and fields are unknown, so the planner archives
 * nothing it cannot vouch for. The mapping is described in docs/formats/oneroster.md.
 */
export async function readOneRoster(bundle: FileBundle, options: ReadOneRosterOptions = {}): Promise<SourceReadResult> {
  const findings: Finding[] = [];
  if (!bundle.entries.length) {
    return { format: FORMAT, snapshot: null, findings: [makeFinding('input.empty', { detail: bundle.path })], counts: {} };
  }
  const notOneRoster = await notOneRosterReason(bundle);
  if (notOneRoster) return { format: null, snapshot: null, findings: [makeFinding('oneroster.not_oneroster', { detail: notOneRoster })], counts: {} };
  const manifestEntry = bundle.find(MANIFEST_FILE);
  let modes: Map<string, FileMode>;
  let version: OneRosterVersion = '1.2';
  if (!manifestEntry) {
    findings.push(makeFinding('oneroster.missing_manifest', { file: MANIFEST_FILE }));
    // Without a manifest every file present is read as bulk (by the 1.2 rules, or 1.1 when
    // users.csv carries the 1.1 role column), so that all problems show at once.
    const users = bundle.find('users.csv');
    if (users && !bundle.find('roles.csv') && (await readCsvHeader(bundle, users)).some((h) => h.toLowerCase() === 'role')) version = '1.1';
    modes = new Map(filesFor(version).filter((s) => bundle.find(s.file)).map((s) => [s.file, 'bulk' as FileMode]));
  } else {
    const { rows } = await readPlainCsv(bundle, manifestEntry, findings);
    const declared = declaredVersion(rows);
    const propertyFindings: Finding[] = [];
    const manifest = parseManifest(rows, isVersion(declared) ? declared : '1.2', propertyFindings);
    const checked = checkManifestVersions(manifest, findings);
    if (!checked) return { format: FORMAT, snapshot: null, findings, counts: {} };
    findings.push(...propertyFindings);
    version = checked;
    modes = manifest.files;
  }
  const delta = [...modes.values()].includes('delta');
  reportFileSet(bundle, modes, version, delta, findings);

  const pkg: RawPackage = new Map();
  for (const spec of filesFor(version)) {
    const mode = modes.get(spec.file);
    const entry = bundle.find(spec.file);
    if (mode === undefined || mode === 'absent' || !entry) continue;
    pkg.set(spec.file, await readOneRosterFile(bundle, entry, spec, mode, version, findings));
  }
  checkReferences(pkg, delta, findings);

  const timeZone = options.timeZone ?? options.school?.timeZone ?? 'Europe/Moscow';
  const ctx = new MappingContext(pkg, timeZone, delta, findings);
  const school = mapSchool(ctx, { timeZone, schoolSourcedId: options.schoolSourcedId, fallback: options.school });
  const base = { format: FORMAT, findings, mode: delta ? ('delta' as const) : ('full' as const), fileCollections: { ...FILE_COLLECTIONS } };
  if (!school) {
    // The package was read (its findings stand), but without a school there is no Snapshot.
    const collectionsOf = rowCollections(ctx);
    for (const raw of pkg.values()) for (const r of raw.records) if (!r.deleted) for (const c of collectionsOf(r)) ctx.count(c);
    return { ...base, snapshot: null, counts: ctx.counts };
  }
  const scoped = new MappingContext(pkg, school.timeZone, delta, findings);
  const snapshot = mapPackage(scoped, school);
  const result: SourceReadResult = { ...base, snapshot, counts: scoped.counts, rejected: scoped.rejectedIds(), rejectedFields: scoped.unknown };
  if (delta) result.deleted = scoped.deleted;
  return result;
}

function isVersion(v: string | undefined): v is OneRosterVersion {
  return v !== undefined && (ONEROSTER_VERSIONS as readonly string[]).includes(v);
}

/** Runs the mapping steps in dependency order and gathers the accepted records. */
function mapPackage(ctx: MappingContext, school: School): Snapshot {
  mapSessions(ctx);
  mapSubjects(ctx, school.sourceId);
  const roles = resolveRoles(ctx, school.sourceId);
  mapPeople(ctx, roles);
  if (ctx.delta) markDeletedPeople(ctx, resolveRoles(ctx, school.sourceId, true, false));
  mapGuardianLinks(ctx, roles);
  const inferred = mapClasses(ctx, school.sourceId);
  mapMemberships(ctx, school.sourceId, inferred);
  const lineItems = mapWorks(ctx, school.sourceId);
  mapMarks(ctx, lineItems, readScoreScales(ctx));
  for (const file of ['roles.csv', 'categories.csv', 'scoreScales.csv'] as const) {
    for (const row of ctx.deletedRows(file)) ctx.report('oneroster.not_expressible', row, { detail: `удаление записи ${file} (tobedeleted) не переносится` });
  }
  countRejectedRows(ctx);
  const snapshot = emptySnapshot(school);
  snapshot.academicYears = ctx.all('academicYears');
  snapshot.periods = ctx.all('periods');
  snapshot.subjects = ctx.all('subjects');
  snapshot.staff = ctx.all('staff');
  snapshot.pupils = ctx.all('pupils');
  snapshot.guardians = ctx.all('guardians');
  snapshot.guardianLinks = ctx.all('guardianLinks');
  snapshot.classes = ctx.all('classes');
  snapshot.subgroups = ctx.all('subgroups');
  snapshot.memberships = ctx.all('memberships');
  snapshot.works = ctx.all('works');
  snapshot.marks = ctx.all('marks');
  return snapshot;
}

/**
 * Rows rejected before mapping still count as read for the collection they were meant for, where
 * the row tells which one, and are rejected records of it: unknown to the planner, not deleted.
 */
function countRejectedRows(ctx: MappingContext): void {
  const collectionsOf = rowCollections(ctx);
  for (const raw of ctx.pkg.values()) {
    for (const r of raw.records) if (r.rejected) for (const c of collectionsOf(r)) ctx.reject(c, r.sourcedId);
  }
}

/**
 * Which files the manifest promises and the bundle holds: a declared file that is missing, a
 * required file of a bulk package that is not declared, a file present but not declared (or
 * declared absent), and OneRoster files ejsync does not read.
 */
function reportFileSet(bundle: FileBundle, modes: Map<string, FileMode>, version: OneRosterVersion, delta: boolean, findings: Finding[]): void {
  const files = filesFor(version);
  for (const spec of files) {
    const mode = modes.get(spec.file);
    const present = !!bundle.find(spec.file);
    if ((mode === 'bulk' || mode === 'delta') && !present) {
      findings.push(makeFinding('oneroster.missing_file', { file: spec.file, detail: `${spec.manifestKey} = ${mode}` }));
    } else if (spec.required && !delta && (mode === undefined || mode === 'absent') && !present) {
      findings.push(makeFinding('oneroster.missing_file', { file: spec.file, detail: 'файл обязателен для переноса школы' }));
    }
  }
  const known = new Set<string>(files.map((s) => s.file.toLowerCase()));
  const unread = new Set(unreadFilesFor(version).map((f) => f.toLowerCase()));
  for (const entry of bundle.entries) {
    const name = entry.name;
    const lower = name.toLowerCase();
    if (lower === MANIFEST_FILE) continue;
    const mode = [...modes].find(([file]) => file.toLowerCase() === lower)?.[1];
    if (unread.has(lower) && mode !== 'absent') {
      findings.push(makeFinding('oneroster.not_expressible', { file: name, detail: 'файл OneRoster не переносится: в модели школы нет соответствующих данных' }));
    } else if (!known.has(lower) && !unread.has(lower)) {
      findings.push(makeFinding('oneroster.ignored_file', { file: name, detail: `файл не входит в OneRoster ${version}` }));
    } else if (mode === undefined || mode === 'absent') {
      findings.push(makeFinding('oneroster.ignored_file', { file: name, detail: mode === 'absent' ? 'в manifest.csv файл объявлен как absent' : 'файл не объявлен в manifest.csv' }));
    }
  }
}
