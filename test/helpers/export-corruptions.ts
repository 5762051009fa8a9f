import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SeededRandom } from '../../src/connectors/demo-school';
import { jsonKeyOf, MIS_FILES, type ColumnSpec, type FileSpec } from '../../src/connectors/mis-csv';
import type { EntityCollection } from '../../src/model';

/**
 * Corruptions of a school's МИС export, as real exports get broken: a bad value in a typed column,
 * an emptied required cell, an id that points nowhere, a broken row, duplicated ids, NUL bytes,
 * bad bytes, a damaged header, a truncated or missing file. Each says which records it touched
 * (entity + source id as the clean export has them), or that it touched a whole collection. The
 * same seed gives the same corruptions.
 */
export interface Corruption {
  name: string;
  /** What was touched: records by their clean source ids, or whole collections. */
  touched: { records: { entity: EntityCollection; sourceId: string }[]; collections: EntityCollection[] };
}

/** A corruption applied to an МИС CSV export folder (UTF-8, `;`, as the demo writes it). */
export interface CsvCorruption {
  name: string;
  apply(dir: string, rng: SeededRandom): Promise<Corruption['touched']>;
}

/** A corruption applied to an МИС JSON document (mutated in place). */
export interface JsonCorruption {
  name: string;
  apply(doc: Record<string, unknown>, rng: SeededRandom): Corruption['touched'];
  /** Changes the document's text after serialising (what `JSON.stringify` cannot write itself). */
  text?(json: string): string;
}

/** The corrupted document's text: write this, not `JSON.stringify(doc)`. */
export const jsonTextOf = (c: JsonCorruption, doc: Record<string, unknown>): string => (c.text ? c.text(JSON.stringify(doc)) : JSON.stringify(doc));

const DEEP_MARKER = '"ejsync-corruption-deep-value"';

const DELIMITER = ';';
const BOM = '\uFEFF';

type Table = { header: string[]; rows: string[][]; lineEnd: string };

async function readTable(dir: string, spec: FileSpec): Promise<Table> {
  const text = (await readFile(path.join(dir, spec.file), 'utf8')).replace(/^\uFEFF/, '');
  const lineEnd = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(lineEnd).filter((l) => l !== '');
  return { header: lines[0].split(DELIMITER), rows: lines.slice(1).map((l) => l.split(DELIMITER)), lineEnd };
}

async function writeTable(dir: string, spec: FileSpec, t: Table): Promise<void> {
  const lines = [t.header.join(DELIMITER), ...t.rows.map((r) => r.join(DELIMITER))];
  await writeFile(path.join(dir, spec.file), BOM + lines.join(t.lineEnd) + t.lineEnd, 'utf8');
}

const specOf = (file: string) => MIS_FILES.find((f) => f.file === file)!;
const entityOf = (spec: FileSpec) => spec.collection as EntityCollection;
const record = (spec: FileSpec, id: string) => ({ records: [{ entity: entityOf(spec), sourceId: id }], collections: [] as EntityCollection[] });
const wholeFile = (spec: FileSpec) => ({ records: [], collections: [entityOf(spec)] });

/** Picks a data row that has a value in `column` (if given). */
function pickRow(t: Table, rng: SeededRandom, column?: number): number {
  const candidates = t.rows.map((r, i) => i).filter((i) => column === undefined || (t.rows[i][column] ?? '') !== '');
  if (!candidates.length) throw new Error('no row to corrupt');
  return candidates[Math.floor(rng.next() * candidates.length)];
}

/** Sets one cell of a random row to `value` (the row keeps its id). */
function cell(file: string, column: string, value: string | ((old: string) => string), label?: string): CsvCorruption {
  return {
    name: `${file}: ${column} = ${label ?? (typeof value === 'string' ? JSON.stringify(value) : 'изменено')}`,
    async apply(dir, rng) {
      const spec = specOf(file);
      const t = await readTable(dir, spec);
      const col = t.header.indexOf(column);
      if (col < 0) throw new Error(`${file} has no column ${column}`);
      const i = pickRow(t, rng, typeof value === 'function' ? col : undefined);
      const id = t.rows[i][0];
      t.rows[i][col] = typeof value === 'function' ? value(t.rows[i][col]) : value;
      await writeTable(dir, spec, t);
      return record(spec, id);
    },
  };
}

/** Replaces one row's text (the record touched is the row's id before the change). */
function row(file: string, name: string, change: (cells: string[], t: Table, i: number) => string[], touchesAlso?: (t: Table, i: number) => string[]): CsvCorruption {
  return {
    name: `${file}: ${name}`,
    async apply(dir, rng) {
      const spec = specOf(file);
      const t = await readTable(dir, spec);
      const i = pickRow(t, rng);
      const id = t.rows[i][0];
      const also = touchesAlso?.(t, i) ?? [];
      t.rows[i] = change([...t.rows[i]], t, i);
      await writeTable(dir, spec, t);
      return { records: [id, ...also].map((sourceId) => ({ entity: entityOf(spec), sourceId })), collections: [] };
    },
  };
}

/** Changes the file as bytes or text as a whole. */
function file(fileName: string, name: string, change: (bytes: Buffer) => Buffer | null): CsvCorruption {
  return {
    name: `${fileName}: ${name}`,
    async apply(dir) {
      const spec = specOf(fileName);
      const p = path.join(dir, spec.file);
      const out = change(await readFile(p));
      if (out === null) await rm(p);
      else await writeFile(p, out);
      return wholeFile(spec);
    },
  };
}

const otherRowId = (t: Table, i: number) => t.rows[(i + 1) % t.rows.length][0];

/** Bad values per column type, each a value the МИС format does not allow. */
const BAD_BY_TYPE: Partial<Record<ColumnSpec['type'], string[]>> = {
  date: ['2026-13-45', '31.02.2026', 'вчера', '1800-01-01', '2031-09-01'],
  int: ['три', '1.5', '9999999999999999999999x'],
  number: ['много', '1,2,3'],
  bool: ['может быть'],
  grades: ['первые'],
  time: ['25:99', '8 утра'],
  mark: ['6', '0', '5++', 'отл'],
  attendance: ['X', 'НН', 'болел?'],
  snils: ['123-456-789 00', '12345'],
};

/** One bad cell: file, column, the value (or how to change the old one) and its label. */
type CellCorruption = [file: string, column: string, value: string | ((old: string) => string), label?: string];

/**
 * Bad cells, the same for both formats: a bad value in every typed column of the collections a
 * nightly sync compares, then values the МИС format does not allow, references to nothing, NUL.
 */
function cellCorruptions(): CellCorruption[] {
  const out: CellCorruption[] = [];
  for (const fileName of ['pupils.csv', 'memberships.csv', 'lessons.csv', 'works.csv', 'marks.csv', 'attendance.csv', 'periods.csv', 'classes.csv', 'staff.csv']) {
    const spec = specOf(fileName);
    for (const col of spec.columns) {
      const bad = BAD_BY_TYPE[col.type];
      if (!bad) continue;
      out.push([fileName, col.column, bad[out.length % bad.length]]);
    }
  }
  out.push(
    ['pupils.csv', 'birth_date', '2031-05-01', '2031-05-01 (ещё не родился)'],
    ['pupils.csv', 'birth_date', '1800-05-01'],
    ['pupils.csv', 'email', 'не-почта'],
    ['pupils.csv', 'phone', '☎'],
    ['pupils.csv', 'last_name', ''],
    ['pupils.csv', 'first_name', '12345'],
    ['marks.csv', 'value', ''],
    ['marks.csv', 'pupil_id', 'p-нет-такого'],
    ['marks.csv', 'subject_id', 'subj-нет'],
    ['marks.csv', 'work_id', 'w-нет', 'w-нет (неизвестная работа)'],
    ['attendance.csv', 'lesson_id', 'l-нет'],
    ['attendance.csv', 'status', ''],
    ['works.csv', 'group_id', 'c-нет'],
    ['works.csv', 'work_type', ''],
    ['memberships.csv', 'pupil_id', ''],
    ['memberships.csv', 'group_id', 'c-нет'],
    ['lessons.csv', 'subject_id', 'subj-нет'],
    ['lessons.csv', 'date', ''],
    ['classes.csv', 'grade', '13'],
    ['subgroups.csv', 'class_id', 'c-нет'],
    ['guardian-links.csv', 'relation', 'сосед'],
    ['school.csv', 'time_zone', 'Марс/Олимп'],
    ['timetable.csv', 'day_of_week', '8'],
    ['academic-years.csv', 'start_date', '2026-02-30'],
    ['subjects.csv', 'name', ''],
    ['marks.csv', 'kind', 'полугодовая'],
    ['marks.csv', 'value', (v) => `${v}\u0000`, 'NUL в значении'],
    ['pupils.csv', 'last_name', (v) => `${v}\u0000`, 'NUL в фамилии'],
  );
  return out;
}

/** ≥ 60 corruptions of an МИС CSV export, deterministic, each touching a known record or file. */
export function csvCorruptions(): CsvCorruption[] {
  const out: CsvCorruption[] = cellCorruptions().map(([fileName, column, value, label]) => cell(fileName, column, value, label));
  out.push(
    row('marks.csv', 'лишнее поле в строке', (c) => [...c, 'лишнее']),
    row('marks.csv', 'строка без последних полей', (c) => c.slice(0, 4)),
    row('attendance.csv', 'строка без полей', (c) => c.slice(0, 2)),
    row('pupils.csv', 'незакрытая кавычка', (c) => [c[0], `"${c[1]}`, ...c.slice(2)]),
    row('marks.csv', 'повтор идентификатора', (c, t, i) => [otherRowId(t, i), ...c.slice(1)], (t, i) => [otherRowId(t, i)]),
    row('pupils.csv', 'повтор идентификатора', (c, t, i) => [otherRowId(t, i), ...c.slice(1)], (t, i) => [otherRowId(t, i)]),
    row('marks.csv', 'пустой идентификатор', (c) => ['', ...c.slice(1)]),
    row('attendance.csv', 'пустой идентификатор', (c) => ['', ...c.slice(1)]),
    file('marks.csv', 'обрезан посреди строки', (b) => b.subarray(0, b.length - Math.floor(b.length / 3) - 7)),
    file('attendance.csv', 'обрезан посреди строки', (b) => b.subarray(0, b.length - 11)),
    file('pupils.csv', 'нет файла', () => null),
    file('memberships.csv', 'нет файла', () => null),
    file('marks.csv', 'заголовок испорчен', (b) => Buffer.from(b.toString('utf8').replace('pupil_id', 'pupil'), 'utf8')),
    file('attendance.csv', 'заголовок испорчен', (b) => Buffer.from(b.toString('utf8').replace('status;', 'статус;'), 'utf8')),
    file('marks.csv', 'битые байты UTF-8', (b) => {
      const copy = Buffer.from(b);
      const at = Math.floor(copy.length / 2);
      copy[at] = 0xff;
      copy[at + 1] = 0xfe;
      return copy;
    }),
    file('pupils.csv', 'NUL-байты', (b) => Buffer.concat([b.subarray(0, 200), Buffer.alloc(16), b.subarray(200)])),
  );
  return out;
}

const section = (doc: Record<string, unknown>, key: string) => {
  const value = doc[key];
  return (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
};
const jsonPick = (list: Record<string, unknown>[], rng: SeededRandom, field?: string) => {
  const candidates = list.filter((r) => field === undefined || (r[field] !== undefined && r[field] !== ''));
  return candidates[Math.floor(rng.next() * candidates.length)];
};

function jsonField(key: string, entity: EntityCollection, field: string, value: unknown, label = JSON.stringify(value)): JsonCorruption {
  return {
    name: `${key}: ${field} = ${label}`,
    apply(doc, rng) {
      const r = jsonPick(section(doc, key), rng, value === undefined ? field : undefined);
      if (value === undefined) delete r[field];
      else r[field] = value;
      return { records: [{ entity, sourceId: String(r.id) }], collections: [] };
    },
  };
}

/** A bad cell of the shared table in the JSON section of its file (the JSON keys are the CSV columns). */
function jsonCell([fileName, column, value, label]: CellCorruption): JsonCorruption {
  const spec = specOf(fileName);
  const key = jsonKeyOf(spec);
  return {
    name: `${key}: ${column} = ${label ?? (typeof value === 'string' ? JSON.stringify(value) : 'изменено')}`,
    apply(doc, rng) {
      const r = jsonPick(section(doc, key), rng, typeof value === 'function' ? column : undefined);
      r[column] = typeof value === 'function' ? value(String(r[column])) : value;
      return { records: [{ entity: entityOf(spec), sourceId: String(r.id) }], collections: [] };
    },
  };
}

/** The whole document changed: every collection counts as touched. */
function jsonDocument(name: string, change: (doc: Record<string, unknown>) => void): JsonCorruption {
  return {
    name: `документ: ${name}`,
    apply(doc) {
      change(doc);
      return { records: [], collections: [...new Set(MIS_FILES.filter((f) => f.collection !== 'school').map((f) => f.collection as EntityCollection))] };
    },
  };
}

function jsonSection(key: string, entity: EntityCollection, name: string, change: (doc: Record<string, unknown>) => void): JsonCorruption {
  return {
    name: `${key}: ${name}`,
    apply(doc) {
      change(doc);
      return { records: [], collections: [entity] };
    },
  };
}

/**
 * ≥ 60 corruptions of an МИС JSON document: the CSV's bad cells in their sections, wrong JSON
 * types, missing and odd sections, another format or version, a value nested 100,000 deep.
 */
export function jsonCorruptions(): JsonCorruption[] {
  return [
    ...cellCorruptions().map(jsonCell),
    jsonField('marks', 'marks', 'value', '6'),
    jsonField('marks', 'marks', 'value', 7),
    jsonField('marks', 'marks', 'value', { v: 5 }, 'объект'),
    jsonField('marks', 'marks', 'value', [5, 4], 'массив'),
    jsonField('marks', 'marks', 'pupil_id', 'p-нет'),
    jsonField('marks', 'marks', 'date', '2026-02-30'),
    jsonField('marks', 'marks', 'value', undefined, '(нет поля)'),
    jsonField('marks', 'marks', 'value', null, 'null'),
    jsonField('attendance', 'attendance', 'status', 'Z'),
    jsonField('attendance', 'attendance', 'lesson_id', 12345),
    jsonField('pupils', 'pupils', 'birth_date', '2031-01-01'),
    jsonField('pupils', 'pupils', 'snils', '111-111-111 11'),
    jsonField('pupils', 'pupils', 'last_name', ''),
    jsonField('pupils', 'pupils', 'last_name', true, 'true'),
    jsonField('works', 'works', 'group_id', 'c-нет'),
    jsonField('works', 'works', 'date', 'завтра'),
    jsonField('memberships', 'memberships', 'start_date', '01/09/2026'),
    jsonField('lessons', 'lessons', 'lesson_number', 'первый'),
    jsonSection('marks', 'marks', 'раздел не массив', (d) => (d.marks = { oops: true })),
    jsonSection('marks', 'marks', 'запись не объект', (d) => section(d, 'marks').splice(1, 0, 'строка' as never)),
    jsonSection('pupils', 'pupils', 'нет раздела', (d) => delete d.pupils),
    jsonSection('memberships', 'memberships', 'нет раздела', (d) => delete d.memberships),
    jsonSection('attendance', 'attendance', 'повтор идентификатора', (d) => {
      const list = section(d, 'attendance');
      list[1] = { ...list[1], id: list[0].id };
    }),
    jsonSection('pupils', 'pupils', 'повтор идентификатора', (d) => {
      const list = section(d, 'pupils');
      list[2] = { ...list[2], id: list[1].id };
    }),
    jsonDocument('другой format', (d) => (d.format = 'oneroster')),
    jsonDocument('version 2', (d) => (d.version = 2)),
    jsonDocument('нет version', (d) => delete d.version),
    {
      ...jsonDocument('значение вложено на 100 000 уровней', (d) => (section(d, 'pupils')[0].extra = JSON.parse(DEEP_MARKER))),
      // JSON.stringify cannot write it (its own stack): spliced into the text.
      text: (json) => json.replace(DEEP_MARKER, `${'['.repeat(100_000)}${']'.repeat(100_000)}`),
    },
  ];
}
