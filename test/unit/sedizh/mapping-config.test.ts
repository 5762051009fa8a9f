import { readFileSync } from 'node:fs';
import path from 'node:path';
import { linkConfigSchema, loadLinkFile } from '../../../src/config/link-config';
import iconv from 'iconv-lite';
import { DEFAULT_SEDIZH_CONFIG_FILE, parseSedizhPlatform } from '../../../src/config/sedizh-config';
import { decodeXml, declaredEncoding, encodeXml } from '../../../src/connectors/sedizh';
import { isEjsyncError } from '../../../src/model';
import { buildPackage, buildReceipt, parsePackage, parseReceipt, snapshotFromPackage, type PackageMapping, type PackageRecord } from '../../../src/mappers/sedizh';

const rawConfig = () => JSON.parse(readFileSync(DEFAULT_SEDIZH_CONFIG_FILE, 'utf8'));
const mappingOf = (raw: unknown) => parseSedizhPlatform(raw).mapping as PackageMapping;
const school = { sourceId: '5900000001', name: 'МБОУ СОШ № 1', timeZone: 'Asia/Yekaterinburg' };
const header = { packageId: 'p-1', kind: 'delta' as const, schoolId: '5900000001', generatedAt: '2026-11-13T10:00:00+05:00', sender: 'ejsync', sequence: 1 };

const records: PackageRecord[] = [
  { entity: 'pupils', action: 'create', extId: 'p1', fields: { lastName: 'Öztürk-Ёлкина', firstName: 'Анна', birthDate: '2015-03-01', sex: 'female' } },
  { entity: 'attendance', action: 'create', extId: 'a1', fields: { pupilId: '100001', lessonId: '100002', status: 'absent', comment: 'справка 😀' } },
];

function configError(mutate: (raw: ReturnType<typeof rawConfig>) => void): string {
  const raw = rawConfig();
  mutate(raw);
  try {
    parseSedizhPlatform(raw);
  } catch (error) {
    if (isEjsyncError(error) && error.code === 'config.invalid') return error.message;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('a mapping change in config alone changes the package', () => {
  it('renamed record and field, other attendance codes, Windows-1251 and Russian dates: written and read back', () => {
    const raw = rawConfig();
    raw.mapping.encoding = 'windows-1251';
    raw.mapping.dateFormat = 'DD.MM.YYYY';
    raw.mapping.entities.pupils.record = 'Uchenik';
    raw.mapping.entities.pupils.fields.lastName = '@Familiya';
    raw.mapping.valueMaps.attendance = { absent: 'НБ', excused: 'УП', ill: 'Б/Б', late: 'ОП' };
    const mapping = mappingOf(raw);
    const defaults = mappingOf(rawConfig());

    const plain = buildPackage({ ...header, records }, defaults).xml;
    const changed = buildPackage({ ...header, records }, mapping).xml;
    expect(plain).toMatch(/<Pupil extId="p1" action="create">\s*<LastName>Öztürk-Ёлкина<\/LastName>/);
    expect(plain).toContain('code="Н"');
    expect(plain).toContain('<BirthDate>2015-03-01</BirthDate>');
    // Characters Windows-1251 lacks travel as character references (and are hashed so).
    expect(changed).toContain('<Uchenik extId="p1" action="create" Familiya="&#xD6;zt&#xFC;rk-Ёлкина">');
    expect(changed).toContain('<Comment>справка &#x1F600;</Comment>');
    expect(changed).toContain('code="НБ"');
    expect(changed).toContain('<BirthDate>01.03.2015</BirthDate>');
    expect(changed.startsWith('<?xml version="1.0" encoding="windows-1251"?>')).toBe(true);

    // The bytes are Windows-1251.
    const bytes = encodeXml(changed, mapping.encoding);
    expect(declaredEncoding(bytes)).toBe('windows-1251');
    expect(bytes.includes(iconv.encode('Ёлкина', 'win1251'))).toBe(true);
    expect(bytes.toString('latin1')).toContain('&#xD6;zt&#xFC;rk');
    expect(bytes.toString('latin1')).toContain('&#x1F600;');

    const parsed = parsePackage(decodeXml(bytes), mapping, { strict: true });
    expect(parsed.problems).toEqual([]);
    const back = snapshotFromPackage(parsed, school);
    expect(back.findings).toEqual([]);
    expect(back.snapshot.pupils).toEqual([{ sourceId: 'p1', lastName: 'Öztürk-Ёлкина', firstName: 'Анна', birthDate: '2015-03-01', sex: 'female' }]);
    expect(back.snapshot.attendance).toEqual([{ sourceId: 'a1', pupilId: '100001', lessonId: '100002', status: 'absent', comment: 'справка 😀' }]);
    // A package of one mapping is not a package of the other.
    expect(parsePackage(decodeXml(bytes), defaults, { strict: true }).problems.map((p) => p.kind)).toContain('structure');
  });

  it('what the mapping cannot express is a coded finding per record, never an exception', () => {
    const raw = rawConfig();
    delete raw.mapping.valueMaps.marks['5+'];
    const mapping = mappingOf(raw);
    const built = buildPackage(
      {
        ...header,
        records: [
          { entity: 'marks', action: 'create', extId: 'm1', fields: { pupilId: '1', subjectId: '2', groupId: '3', kind: 'current', value: '5+', date: '2026-11-10', workId: '4' } },
          { entity: 'bellSchedule', action: 'create', extId: 'b1', fields: { lessonNumber: 'first', startTime: '08:00', endTime: '08:45', shift: 1 } },
          ...records,
        ],
      },
      { ...mapping, entities: { ...mapping.entities, guardians: undefined } },
    );
    expect(built.rejected.map((r) => [r.finding.code, r.finding.field])).toEqual([
      ['sedizh.value_unmapped', 'value'],
      ['sedizh.record_invalid', 'lessonNumber'],
    ]);
    expect(built.written).toHaveLength(2);
    const noSection = buildPackage({ ...header, records: [{ entity: 'guardians', action: 'create', extId: 'g1', fields: { lastName: 'А', firstName: 'Б' } }] }, { ...mapping, entities: { pupils: mapping.entities.pupils } });
    expect(noSection.rejected.map((r) => r.finding.code)).toEqual(['sedizh.entity_unmapped']);
  });

  it('reading the platform: an unknown platform value or a bad date is a finding; a package of another shape a problem', () => {
    const mapping = mappingOf(rawConfig());
    const xml = buildPackage({ ...header, kind: 'export', records }, mapping).xml.replace('code="Н"', 'code="Х"').replace('<BirthDate>2015-03-01</BirthDate>', '<BirthDate>2015-13-01</BirthDate>');
    const parsed = parsePackage(xml, mapping);
    expect(parsed.problems.map((p) => p.kind)).toEqual(['hash']);
    const read = snapshotFromPackage(parsed, school);
    expect(read.findings.map((f) => [f.code, f.entity, f.sourceId])).toEqual([
      ['sedizh.record_invalid', 'pupils', 'p1'],
      ['sedizh.value_unmapped', 'attendance', 'a1'],
    ]);
    expect(parsePackage('<nope', mapping).problems[0].kind).toBe('xml');
    expect(parsePackage('<Other/>', mapping).problems[0]).toMatchObject({ kind: 'structure', detail: expect.stringContaining('<Package>') });
  });

  it('receipts are read defensively', () => {
    const good = buildReceipt({ packageId: 'p-1', status: 'partial', processedAt: '2026-11-13T05:00:00Z', errors: [], records: [{ record: 'Pupil', extId: 'p1', id: '100001', status: 'accepted', effectiveFrom: '2026-11-16' }, { record: 'Absence', extId: 'a1', status: 'rejected', code: 'REFERENCE_UNKNOWN', message: 'нет урока' }] });
    const parsed = parseReceipt(good, 'p-1');
    expect(parsed.ok && parsed.receipt.records.map((r) => [r.status, r.code ?? r.id])).toEqual([
      ['accepted', '100001'],
      ['rejected', 'REFERENCE_UNKNOWN'],
    ]);
    for (const [bad, why] of [
      ['', /пустая/],
      ['<Receipt packageId=', /не XML/],
      ['<Other/>', /Receipt/],
      [good.replace('status="partial"', 'status="maybe"'), /неизвестное состояние пакета/],
      [good, /другому пакету/],
      [good.replace('effectiveFrom="2026-11-16"', 'effectiveFrom="завтра"'), /вступления в силу/],
    ] as const) {
      const r = parseReceipt(bad, bad === good ? 'p-2' : 'p-1');
      expect(r.ok ? 'ok' : r.detail).toMatch(why);
    }
  });
});

describe('the platform file is checked at start-up with messages a person can act on', () => {
  it.each([
    ['an unknown field', (r: any) => (r.mapping.entities.pupils.fields.shoeSize = 'Shoe'), /mapping\.entities\.pupils\.fields\.shoeSize: у записей pupils нет поля «shoeSize»/],
    ['a type that does not fit', (r: any) => (r.mapping.entities.classes.fields.grade = { name: 'grade', attribute: true, type: 'date' }), /тип «date» не подходит полю «grade»: укажите int или number/],
    ['a required field left out', (r: any) => delete r.mapping.entities.attendance.fields.status, /mapping\.entities\.attendance\.fields: нет обязательного поля «status»/],
    ['a value map that does not exist', (r: any) => (r.mapping.entities.attendance.fields.status.map = 'codes'), /таблицы «codes» нет в valueMaps/],
    ['two sections with one name', (r: any) => (r.mapping.entities.staff.section = 'Pupils'), /раздел <Pupils> уже занят записями/],
    ['a platform value twice', (r: any) => (r.mapping.valueMaps.attendance.ill = 'Н'), /значение платформы «Н» уже занято «absent»/],
    ['an encoding', (r: any) => (r.mapping.encoding = 'koi8-r'), /кодировка пакета: utf-8 или windows-1251/],
    ['a cut-off time', (r: any) => (r.cutoff.time = '2 pm'), /cutoff\.time: время ЧЧ:ММ/],
    ['a transport', (r: any) => (r.installations.perm.transport = { kind: 'ftp' }), /transport\.kind: http/],
    ['writes without a section', (r: any) => delete r.mapping.entities.guardians, /capabilities\.guardians: запись разрешена, но в mapping\.entities нет раздела guardians/],
  ])('%s', (_what, mutate, message) => {
    expect(configError(mutate)).toMatch(message);
  });
});

describe('link files for СЭДиЖ', () => {
  it('the shipped example validates; a Дневник.ру link keeps its numeric school id and has no exchange folder', () => {
    const link = loadLinkFile(path.join(__dirname, '../../../config/links/example-sedizh-emulator.json'));
    expect(link.target).toMatchObject({ platform: 'sedizh', installation: 'emulator', schoolId: '5900000061' });
    const base = { id: 'x', name: 'x', school: { sourceId: 's', timeZone: 'Asia/Yekaterinburg' }, source: { path: '.' } };
    const bad = linkConfigSchema.safeParse({ ...base, target: { platform: 'dnevnik', installation: 'dnevnik', schoolId: 'PERM-1', exchangeDir: 'x' } });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.message)).toEqual(['target.schoolId: идентификатор школы на платформе — строка цифр', 'target.exchangeDir — только для platform: sedizh или oneroster']);
    expect(linkConfigSchema.safeParse({ ...base, target: { platform: 'sedizh', installation: 'perm', schoolId: 'PERM-1', exchangeDir: 'x' } }).success).toBe(true);
  });
});
