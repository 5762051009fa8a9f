import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { EntityCollection } from '../../model';
import { bodyTextOf, contentHashOf } from './build-package';
import { decodeField, type CodecProblem } from './field-codec';
import { mappedEntities, type PackageHeader, type PackageKind, type PackageMapping, type PackageRecord, type RecordAction } from './package-mapping';

const ATTR = '@_';
const KINDS: readonly PackageKind[] = ['delta', 'full', 'export'];

/** A problem of the package as a whole: not XML, not the schema's structure, a wrong hash or count. */
export interface PackageProblem {
  kind: 'xml' | 'structure' | 'hash' | 'count';
  detail: string;
}

export interface ParsedRecord {
  record: PackageRecord;
  /** Why the record cannot be taken as it is (unknown values, wrong kinds, missing ids). */
  problems: CodecProblem[];
}

export interface ParsedPackage {
  header: PackageHeader | null;
  records: ParsedRecord[];
  problems: PackageProblem[];
}

export interface ParseOptions {
  /**
   * Strict: elements and attributes the mapping does not name are problems (the platform's
   * validation of what it receives). Lenient: ignored (ejsync reading the platform's export).
   * @defaultValue false
   */
  strict?: boolean;
}

/** An element's text, whether or not it carries attributes. */
function textOf(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (typeof node === 'object' && '#text' in (node as object)) return String((node as Record<string, unknown>)['#text']);
  if (typeof node === 'object') return '';
  return undefined;
}

/** The namespace the root element is in (its default one, or the one of its prefix). */
function namespaceOf(text: string, root: string): string | null {
  const tag = new RegExp(`<(?:([\\p{L}_][\\p{L}\\p{N}_.-]*):)?${root.replace(/[.]/g, '\\.')}(?=[\\s>/])([^>]*)>`, 'u').exec(text);
  if (!tag) return null;
  const attr = tag[1] ? `xmlns:${tag[1]}` : 'xmlns';
  const m = new RegExp(`\\s${attr}\\s*=\\s*(["'])(.*?)\\1`).exec(tag[2]);
  return m ? m[2] : null;
}

function parserFor(mapping: PackageMapping): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: ATTR,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    htmlEntities: true,
    ignoreDeclaration: true,
    removeNSPrefix: true,
    isArray: (_name, jpath) => {
      const parts = String(jpath).split('.');
      return parts.length === 3 && parts[1] !== mapping.header.element;
    },
  });
}

function readHeader(node: Record<string, unknown> | undefined, mapping: PackageMapping, problems: PackageProblem[]): PackageHeader | null {
  const n = mapping.header;
  if (!node || typeof node !== 'object') {
    problems.push({ kind: 'structure', detail: `нет заголовка <${n.element}>` });
    return null;
  }
  const get = (name: string) => textOf(node[name])?.trim();
  const need = (name: string): string => {
    const v = get(name);
    if (!v) problems.push({ kind: 'structure', detail: `в заголовке нет <${name}>` });
    return v ?? '';
  };
  const packageId = need(n.packageId);
  const kind = need(n.kind);
  if (kind && !KINDS.includes(kind as PackageKind)) problems.push({ kind: 'structure', detail: `<${n.kind}>: «${kind}» — ожидается delta, full или export` });
  const sequence = need(n.sequence);
  if (sequence && !/^\d{1,15}$/.test(sequence)) problems.push({ kind: 'structure', detail: `<${n.sequence}>: «${sequence}» — ожидается неотрицательное целое` });
  const recordCount = need(n.recordCount);
  if (recordCount && !/^\d{1,15}$/.test(recordCount)) problems.push({ kind: 'structure', detail: `<${n.recordCount}>: «${recordCount}» — ожидается неотрицательное целое` });
  const contentHash = need(n.contentHash).toLowerCase();
  if (contentHash && !/^[0-9a-f]{64}$/.test(contentHash)) problems.push({ kind: 'structure', detail: `<${n.contentHash}>: ожидается SHA-256 (64 шестнадцатеричных знака)` });
  const generatedAt = need(n.generatedAt);
  if (generatedAt && Number.isNaN(Date.parse(generatedAt))) problems.push({ kind: 'structure', detail: `<${n.generatedAt}>: «${generatedAt}» — не дата и время` });
  const periodFrom = get(n.periodFrom);
  const periodTo = get(n.periodTo);
  return {
    packageId,
    kind: kind as PackageKind,
    schoolId: need(n.schoolId),
    ...(periodFrom ? { periodFrom } : {}),
    ...(periodTo ? { periodTo } : {}),
    generatedAt,
    sender: need(n.sender),
    sequence: Number(sequence),
    recordCount: Number(recordCount),
    contentHash,
  };
}

function readRecord(entity: EntityCollection, node: Record<string, unknown>, mapping: PackageMapping, strict: boolean): ParsedRecord {
  const em = mapping.entities[entity]!;
  const names = mapping.records;
  const problems: CodecProblem[] = [];
  const attr = (name: string) => {
    const v = node[ATTR + name];
    return v === undefined ? undefined : String(v).trim();
  };
  const actionText = attr(names.action);
  const action = actionText === undefined ? 'create' : (Object.keys(names.actions) as RecordAction[]).find((a) => names.actions[a] === actionText);
  if (!action) problems.push({ kind: 'invalid', detail: `${names.action}: «${actionText}» — ожидается ${Object.values(names.actions).join(', ')}` });
  const id = attr(names.id) || undefined;
  const extId = attr(names.extId) || undefined;
  const effectiveFrom = attr(names.effectiveFrom) || undefined;
  if (!id && !extId) problems.push({ kind: 'invalid', detail: `нет ни ${names.id}, ни ${names.extId}` });
  if ((action === 'update' || action === 'delete') && !id) problems.push({ kind: 'invalid', detail: `${action === 'update' ? 'изменение' : 'удаление'} без ${names.id}` });
  const fields: Record<string, unknown> = {};
  const known = new Set<string>([ATTR + names.id, ATTR + names.extId, ATTR + names.action, ATTR + names.effectiveFrom]);
  if (action !== 'delete') {
    for (const [field, spec] of Object.entries(em.fields)) {
      const key = spec.attribute ? ATTR + spec.name : spec.name;
      known.add(key);
      const raw = spec.attribute ? attr(spec.name) : textOf(node[key]);
      const decoded = decodeField(field, spec, raw, mapping);
      if (decoded.ok) {
        if (decoded.value !== undefined) fields[field] = decoded.value;
      } else problems.push(decoded.problem);
    }
  }
  if (strict) for (const key of Object.keys(node)) if (!known.has(key) && key !== '#text') problems.push({ kind: 'invalid', detail: `${key.startsWith(ATTR) ? 'атрибут' : 'элемент'} «${key.replace(ATTR, '')}» не предусмотрен схемой` });
  return {
    record: { entity, action: action ?? 'create', ...(id ? { id } : {}), ...(extId ? { extId } : {}), fields, ...(effectiveFrom ? { effectiveFrom } : {}) },
    problems,
  };
}

/**
 * Reads a package (pure; the text already decoded from its encoding): checks it is XML of the
 * mapping's structure (root, namespace, header, known sections and records), that the body's hash
 * and the record count match the header, and reads every record into canonical fields. Problems
 * are returned, never thrown.
 */
export function parsePackage(text: string, mapping: PackageMapping, options: ParseOptions = {}): ParsedPackage {
  const strict = options.strict ?? false;
  const problems: PackageProblem[] = [];
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { header: null, records: [], problems: [{ kind: 'xml', detail: `строка ${valid.err.line}: ${valid.err.msg}` }] };
  const doc = parserFor(mapping).parse(text) as Record<string, unknown>;
  const rootNames = Object.keys(doc).filter((k) => !k.startsWith('?'));
  const root = doc[mapping.root] as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') return { header: null, records: [], problems: [{ kind: 'structure', detail: `корневой элемент «${rootNames[0] ?? '—'}», ожидается <${mapping.root}>` }] };
  if (mapping.namespace) {
    const ns = namespaceOf(text, mapping.root);
    if (ns !== mapping.namespace) problems.push({ kind: 'structure', detail: `пространство имён «${ns ?? ''}», ожидается «${mapping.namespace}»` });
  }
  const header = readHeader(root[mapping.header.element] as Record<string, unknown> | undefined, mapping, problems);
  const sections = new Map(mappedEntities(mapping).map((e) => [mapping.entities[e]!.section, e] as const));
  const records: ParsedRecord[] = [];
  for (const [key, value] of Object.entries(root)) {
    if (key.startsWith(ATTR) || key === mapping.header.element) continue;
    const entity = sections.get(key);
    if (!entity) {
      problems.push({ kind: 'structure', detail: `раздел <${key}> не предусмотрен схемой` });
      continue;
    }
    const em = mapping.entities[entity]!;
    const list = (Array.isArray(value) ? value : [value]).flatMap((section: unknown) => {
      if (!section || typeof section !== 'object') return [];
      const s = section as Record<string, unknown>;
      for (const k of Object.keys(s)) if (k !== em.record && !k.startsWith(ATTR)) problems.push({ kind: 'structure', detail: `в разделе <${key}> элемент <${k}>, ожидается <${em.record}>` });
      return (s[em.record] as unknown[] | undefined) ?? [];
    });
    for (const node of list) records.push(readRecord(entity, (node && typeof node === 'object' ? node : {}) as Record<string, unknown>, mapping, strict));
  }
  if (header) {
    const body = bodyTextOf(text, mapping);
    if (body === null || contentHashOf(body) !== header.contentHash) problems.push({ kind: 'hash', detail: 'контрольная сумма содержимого не совпадает с заголовком' });
    if (header.recordCount !== records.length) problems.push({ kind: 'count', detail: `в заголовке ${header.recordCount} записей, в пакете ${records.length}` });
  }
  return { header, records, problems };
}
