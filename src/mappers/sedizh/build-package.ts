import { createHash } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import { makeFinding, type Finding } from '../../model';
import { escapeOutsideCharset } from './charset';
import { encodeField } from './field-codec';
import { mappedEntities, type PackageHeader, type PackageKind, type PackageMapping, type PackageRecord } from './package-mapping';

const ATTR = '@_';
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: ATTR, format: true, indentBy: '  ', suppressEmptyNode: true, processEntities: true });

/** SHA-256 (hex) of the body text's UTF-8 bytes, whatever encoding the package travels in. */
export function contentHashOf(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** What a package is built from: its header values (the hash and count are computed). */
export interface PackageInput {
  packageId: string;
  kind: PackageKind;
  schoolId: string;
  periodFrom?: string;
  periodTo?: string;
  generatedAt: string;
  sender: string;
  sequence: number;
  records: readonly PackageRecord[];
}

/** A built package: the XML text (before encoding), its header, and what could not be carried. */
export interface BuiltPackage {
  xml: string;
  header: PackageHeader;
  /** Records written, in package order. */
  written: PackageRecord[];
  /** One per record the mapping cannot express (that record is left out of the package). */
  rejected: { record: PackageRecord; finding: Finding }[];
}

/** The element object of one record, or the finding why the mapping cannot express it. */
export function recordElement(record: PackageRecord, mapping: PackageMapping): { ok: true; element: Record<string, unknown> } | { ok: false; finding: Finding } {
  const em = mapping.entities[record.entity];
  const where = { entity: record.entity, sourceId: record.extId ?? record.id };
  if (!em) return { ok: false, finding: makeFinding('sedizh.entity_unmapped', { ...where, detail: record.entity }) };
  const names = mapping.records;
  const element: Record<string, unknown> = {};
  if (record.id !== undefined) element[ATTR + names.id] = record.id;
  if (record.extId !== undefined) element[ATTR + names.extId] = record.extId;
  element[ATTR + names.action] = names.actions[record.action];
  if (record.effectiveFrom !== undefined) element[ATTR + names.effectiveFrom] = record.effectiveFrom;
  if (record.action === 'delete') return { ok: true, element };
  for (const [field, spec] of Object.entries(em.fields)) {
    const encoded = encodeField(field, spec, record.fields[field], mapping);
    if (!encoded.ok) {
      const code = encoded.problem.kind === 'unmapped' ? 'sedizh.value_unmapped' : 'sedizh.record_invalid';
      return { ok: false, finding: makeFinding(code, { ...where, field, detail: encoded.problem.detail }) };
    }
    if (encoded.text === undefined) continue;
    element[spec.attribute ? ATTR + spec.name : spec.name] = encoded.text;
  }
  return { ok: true, element };
}

/** The body (entity sections in the mapping's order) of records already turned into elements. */
function bodyOf(records: readonly { record: PackageRecord; element: Record<string, unknown> }[], mapping: PackageMapping): string {
  const sections: Record<string, unknown> = {};
  for (const entity of mappedEntities(mapping)) {
    const em = mapping.entities[entity]!;
    const elements = records.filter((r) => r.record.entity === entity).map((r) => r.element);
    if (elements.length) sections[em.section] = { [em.record]: elements };
  }
  const text = builder.build(sections) as string;
  return text.endsWith('\n') ? text : `${text}\n`;
}

function headerOf(h: PackageHeader, mapping: PackageMapping): string {
  const n = mapping.header;
  const el: Record<string, unknown> = {
    [n.packageId]: h.packageId,
    [n.kind]: h.kind,
    [n.schoolId]: h.schoolId,
    ...(h.periodFrom ? { [n.periodFrom]: h.periodFrom } : {}),
    ...(h.periodTo ? { [n.periodTo]: h.periodTo } : {}),
    [n.generatedAt]: h.generatedAt,
    [n.sender]: h.sender,
    [n.sequence]: String(h.sequence),
    [n.recordCount]: String(h.recordCount),
    [n.contentHash]: { [`${ATTR}algorithm`]: 'SHA-256', '#text': h.contentHash },
  };
  return builder.build({ [n.element]: el }) as string;
}

/** `windows-1251` → the name written in the XML declaration. */
const declared = (encoding: PackageMapping['encoding']) => (encoding === 'windows-1251' ? 'windows-1251' : 'UTF-8');

/**
 * Builds a package (pure): header with package id, school, period, generation time, sender,
 * sequence number, record count and the content hash of the body; one section per entity. A
 * record the mapping cannot express is left out with a coded finding, never thrown.
 */
export function buildPackage(input: PackageInput, mapping: PackageMapping): BuiltPackage {
  const elements: { record: PackageRecord; element: Record<string, unknown> }[] = [];
  const rejected: BuiltPackage['rejected'] = [];
  for (const record of input.records) {
    const built = recordElement(record, mapping);
    if (built.ok) elements.push({ record, element: built.element });
    else rejected.push({ record, finding: built.finding });
  }
  const body = escapeOutsideCharset(bodyOf(elements, mapping), mapping.encoding);
  const header: PackageHeader = {
    packageId: input.packageId,
    kind: input.kind,
    schoolId: input.schoolId,
    ...(input.periodFrom ? { periodFrom: input.periodFrom } : {}),
    ...(input.periodTo ? { periodTo: input.periodTo } : {}),
    generatedAt: input.generatedAt,
    sender: input.sender,
    sequence: input.sequence,
    recordCount: elements.length,
    contentHash: contentHashOf(body),
  };
  const ns = mapping.namespace ? ` xmlns="${mapping.namespace}"` : '';
  const xml = `<?xml version="1.0" encoding="${declared(mapping.encoding)}"?>\n<${mapping.root}${ns} version="${mapping.version}">\n${escapeOutsideCharset(headerOf(header, mapping), mapping.encoding)}${body}</${mapping.root}>\n`;
  return { xml, header, written: elements.map((e) => e.record), rejected };
}

/** The body text of a package as it was hashed: between the end of the header and the root's end tag. */
export function bodyTextOf(xml: string, mapping: PackageMapping): string | null {
  const endHeader = `</${mapping.header.element}>`;
  const start = xml.indexOf(endHeader);
  const end = xml.lastIndexOf(`</${mapping.root}>`);
  if (start < 0 || end < start) return null;
  let body = xml.slice(start + endHeader.length, end);
  if (body.startsWith('\r\n')) body = body.slice(2);
  else if (body.startsWith('\n')) body = body.slice(1);
  return body;
}
