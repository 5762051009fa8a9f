import { emptySnapshot, makeFinding, type Finding, type School, type Snapshot, type SourceReadResult } from '../../model';
import type { FileBundle } from '../file-bundle';
import { checkReferences } from './check-references';
import { ONEROSTER_FILES, UNREAD_ONEROSTER_FILES, type OneRosterFileName } from './file-specs';
import { checkManifestVersions, MANIFEST_FILE, parseManifest, type FileMode } from './manifest';
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
import { readOneRosterFile, readPlainCsv } from './read-csv-file';
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
   * declare orgs.csv absent).
   * @defaultValue none: such a package yields `oneroster.school_missing`
   */
  school?: School;
}

const FORMAT = 'oneroster' as const;

/**
 * Reads a 1EdTech OneRoster 1.2 CSV package (folder or ZIP) into a Snapshot: manifest first,
 * then every declared file streamed and checked row by row, then references across files, then
 * the mapping into canonical records, each validated through the model's zod schema. Every
 * problem is a finding with file, row, field and sourcedId; a record with an error is left out
 * whole. A package with delta files yields `mode: 'delta'` and the ids of `tobedeleted` records
 * in `deleted`. The mapping is described in docs/formats/oneroster.md.
 */
export async function readOneRoster(bundle: FileBundle, options: ReadOneRosterOptions = {}): Promise<SourceReadResult> {
  const findings: Finding[] = [];
  if (!bundle.entries.length) {
    return { format: FORMAT, snapshot: null, findings: [makeFinding('input.empty', { detail: bundle.path })], counts: {} };
  }
  const manifestEntry = bundle.find(MANIFEST_FILE);
  let modes: Map<string, FileMode>;
  if (!manifestEntry) {
    findings.push(makeFinding('oneroster.missing_manifest', { file: MANIFEST_FILE }));
    // Without a manifest every file present is read as bulk, so that all problems show at once.
    modes = new Map(ONEROSTER_FILES.filter((s) => bundle.find(s.file)).map((s) => [s.file, 'bulk' as FileMode]));
  } else {
    const { header, rows } = await readPlainCsv(bundle, manifestEntry, findings);
    for (const column of ['propertyName', 'value']) {
      if (!header.includes(column)) findings.push(makeFinding('oneroster.missing_column', { file: MANIFEST_FILE, field: column }));
    }
    const manifest = parseManifest(rows, findings);
    if (!checkManifestVersions(manifest, findings)) return { format: FORMAT, snapshot: null, findings, counts: {} };
    modes = manifest.files;
  }
  const delta = [...modes.values()].includes('delta');
  reportFileSet(bundle, modes, delta, findings);

  const pkg: RawPackage = new Map();
  for (const spec of ONEROSTER_FILES) {
    const mode = modes.get(spec.file);
    const entry = bundle.find(spec.file);
    if (mode === undefined || mode === 'absent' || !entry) continue;
    pkg.set(spec.file, await readOneRosterFile(bundle, entry, spec, mode, findings));
  }
  checkReferences(pkg, delta, findings);

  const ctx = new MappingContext(pkg, options.timeZone ?? 'Europe/Moscow', delta, findings);
  const school = mapSchool(ctx, { timeZone: options.timeZone ?? 'Europe/Moscow', schoolSourcedId: options.schoolSourcedId, fallback: options.school });
  if (!school) return { format: FORMAT, snapshot: null, findings, counts: ctx.counts, mode: delta ? 'delta' : 'full' };
  const scoped = new MappingContext(pkg, school.timeZone, delta, findings);
  const snapshot = mapPackage(scoped, school);
  const result: SourceReadResult = { format: FORMAT, snapshot, findings, counts: scoped.counts, mode: delta ? 'delta' : 'full' };
  if (delta) result.deleted = scoped.deleted;
  return result;
}

/** Runs the mapping steps in dependency order and gathers the accepted records. */
function mapPackage(ctx: MappingContext, school: School): Snapshot {
  mapSessions(ctx);
  mapSubjects(ctx, school.sourceId);
  const roles = resolveRoles(ctx, school.sourceId);
  mapPeople(ctx, roles);
  if (ctx.delta) markDeletedPeople(ctx, resolveRoles(ctx, school.sourceId, true, false));
  mapGuardianLinks(ctx, roles);
  mapClasses(ctx, school.sourceId);
  mapMemberships(ctx, school.sourceId);
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
 * Rows rejected before mapping still count as read for the collection they were meant for,
 * where the row tells which one (users do not: their collection depends on roles).
 */
function countRejectedRows(ctx: MappingContext): void {
  const rejected = (file: OneRosterFileName) => (ctx.file(file)?.records ?? []).filter((r) => r.rejected);
  for (const r of rejected('academicSessions.csv')) ctx.count(r.values.type === 'schoolYear' ? 'academicYears' : 'periods');
  for (const r of rejected('courses.csv')) ctx.count('subjects');
  for (const r of rejected('classes.csv')) if (r.values.classType === 'homeroom' || r.values.classType === 'scheduled') ctx.count(r.values.classType === 'homeroom' ? 'classes' : 'subgroups');
  for (const r of rejected('enrollments.csv')) if (r.values.role !== 'teacher') ctx.count('memberships');
  for (const r of rejected('lineItems.csv')) ctx.count('works');
  for (const r of rejected('results.csv')) ctx.count('marks');
}

/**
 * Which files the manifest promises and the bundle holds: a declared file that is missing, a
 * required file of a bulk package that is not declared, a file present but not declared (or
 * declared absent), and OneRoster files ejsync does not read.
 */
function reportFileSet(bundle: FileBundle, modes: Map<string, FileMode>, delta: boolean, findings: Finding[]): void {
  for (const spec of ONEROSTER_FILES) {
    const mode = modes.get(spec.file);
    const present = !!bundle.find(spec.file);
    if ((mode === 'bulk' || mode === 'delta') && !present) {
      findings.push(makeFinding('oneroster.missing_file', { file: spec.file, detail: `${spec.manifestKey} = ${mode}` }));
    } else if (spec.required && !delta && (mode === undefined || mode === 'absent') && !present) {
      findings.push(makeFinding('oneroster.missing_file', { file: spec.file, detail: 'файл обязателен для переноса школы' }));
    }
  }
  const known = new Set<string>(ONEROSTER_FILES.map((s) => s.file.toLowerCase()));
  const unread = new Set(UNREAD_ONEROSTER_FILES.map((f) => f.toLowerCase()));
  for (const entry of bundle.entries) {
    const name = entry.name;
    const lower = name.toLowerCase();
    if (lower === MANIFEST_FILE) continue;
    const mode = [...modes].find(([file]) => file.toLowerCase() === lower)?.[1];
    if (unread.has(lower) && mode !== 'absent') {
      findings.push(makeFinding('oneroster.not_expressible', { file: name, detail: 'файл OneRoster не переносится: в модели школы нет соответствующих данных' }));
    } else if (!known.has(lower) && !unread.has(lower)) {
      findings.push(makeFinding('oneroster.ignored_file', { file: name, detail: 'файл не входит в OneRoster 1.2' }));
    } else if (mode === undefined || mode === 'absent') {
      findings.push(makeFinding('oneroster.ignored_file', { file: name, detail: mode === 'absent' ? 'в manifest.csv файл объявлен как absent' : 'файл не объявлен в manifest.csv' }));
    }
  }
}
