import { fullName } from '../../../src/model';
import ExcelJS from 'exceljs';
import { startSchoolWorld, WORLD_NOW, writeMisJson } from '../../helpers/school-world';
import { worldDashboard } from '../../helpers/world-dashboard';

jest.setTimeout(240_000);

describe('a school administrator reads runs in school terms: names, classes, Russian fields; failures lead to their fix; pupils found by name (real pipeline, PostgreSQL, Redis, emulator)', () => {
  let world: Awaited<ReturnType<typeof startSchoolWorld>>;
  let dash: Awaited<ReturnType<typeof worldDashboard>>;
  let firstRun: string;
  let heldRun: string;

  beforeAll(async () => {
    world = await startSchoolWorld({ pupils: 24 });
    dash = await worldDashboard(world, { now: () => WORLD_NOW });
    firstRun = (await world.sync()).id;
    // A quarter of the marks vanish from the export: the next run archives them and is held.
    await writeMisJson(world.exportFile, { ...world.source, marks: world.source.marks.filter((_m, i) => i % 4 !== 0) });
    const held = await world.sync();
    expect(held.status).toBe('held');
    heldRun = held.id;
  });

  afterAll(async () => {
    await dash?.app.close();
    await world?.close();
  });

  const get = (url: string, headers: Record<string, string>) => dash.app.inject({ url, headers });

  it('the held run lists each archived mark with the pupil’s name and class, subject, date, work and «value» — for the school’s admin', async () => {
    const admin = await dash.signIn('2000000001', 'Админов Сергей Петрович', 'school_admin', world.link.school.sourceId);
    const page = (await get(`/runs/${heldRun}`, admin.headers)).body;
    expect(page).toContain('Подготовленные изменения');
    const archived = world.source.marks.filter((_m, i) => i % 4 === 0)[0];
    const pupil = world.source.pupils.find((p) => p.sourceId === archived.pupilId)!;
    const subject = world.source.subjects.find((s) => s.sourceId === archived.subjectId)!;
    expect(page).toContain(fullName(pupil));
    expect(page).toContain(subject.name);
    expect(page).toMatch(/Отметка:<\/span> <span class="diff-removed">«[^»]+»<\/span>/);
    expect(page.match(/.{80}(workId|pupilId|groupId).{40}/g) ?? []).toEqual([]);
    // The school name, not its id.
    expect(page).toContain(world.source.school.name);
  });

  it('the operator reads the same run with names masked', async () => {
    const op = await dash.signIn('2000000002', 'Операторова Мария Ивановна', 'operator', null);
    const page = (await get(`/runs/${heldRun}`, op.headers)).body;
    expect(page).toContain('(ФИО скрыто)');
    for (const p of world.source.pupils) expect(page).not.toContain(fullName(p));
  });

  it('the first run asks to create and enrol the missing pupil; the pupil’s page shows it; the pupil is found by name', async () => {
    const admin = await dash.signIn('2000000001', 'Админов Сергей Петрович', 'school_admin', world.link.school.sourceId);
    const run = (await get(`/runs/${firstRun}`, admin.headers)).body;
    expect(run).toContain(world.missing.lastName);
    const search = (await get(`/links/${world.link.id}/pupils?q=${encodeURIComponent(world.missing.lastName.toLowerCase())}`, admin.headers)).body;
    expect(search).toContain(`data-pupil="${world.missing.sourceId}"`);
    const pupilPage = await get(`/links/${world.link.id}/pupils/${world.missing.sourceId}`, admin.headers);
    expect(pupilPage.statusCode).toBe(200);
    expect(pupilPage.body).toContain(fullName(world.missing));
    expect(pupilPage.body).toMatch(/Ручные действия об ученике \([1-9]/);
    // The operator cannot search by name.
    const op = await dash.signIn('2000000002', 'Операторова Мария Ивановна', 'operator', null);
    const opSearch = (await get(`/links/${world.link.id}/pupils?q=${encodeURIComponent(world.missing.lastName)}`, op.headers)).body;
    expect(opSearch).not.toContain(`data-pupil="${world.missing.sourceId}"`);
  });

  it('a pupil’s page compares their class in the МИС with the platform: the unenrolled pupil reads «нет» with the manual action that enrols them', async () => {
    const admin = await dash.signIn('2000000001', 'Админов Сергей Петрович', 'school_admin', world.link.school.sourceId);
    const pupilPage = async (id: string) => (await get(`/links/${world.link.id}/pupils/${id}`, admin.headers)).body;
    const classOf = (id: string) => {
      const m = world.source.memberships.find((x) => x.pupilId === id && x.groupKind === 'class' && !x.endDate)!;
      return world.source.classes.find((c) => c.sourceId === m.groupId)!.name;
    };
    const unenrolled = await pupilPage(world.unenrolled.sourceId);
    const row = (page: string, group: string) => page.match(new RegExp(`<tr data-group="${group}" data-platform="(\\w+)">.*?</tr>`))!;
    const missingRow = row(unenrolled, classOf(world.unenrolled.sourceId));
    expect(missingRow[1]).toBe('no');
    const enrol = (await world.store.manualActions.worklist({ linkIds: [world.link.id], pupilId: world.unenrolled.sourceId, limit: 50 })).rows.find((a) => a.entity === 'memberships')!;
    expect(missingRow[0]).toContain(`href="#manual-${enrol.actionId}"`);
    expect(unenrolled).toContain(`id="manual-${enrol.actionId}"`);
    // Any other pupil on the platform is enrolled there.
    const other = world.source.pupils.find((p) => p.sourceId !== world.unenrolled.sourceId && p.sourceId !== world.missing.sourceId)!;
    expect(row(await pupilPage(other.sourceId), classOf(other.sourceId))[1]).toBe('yes');
    // The pupil the platform lacks altogether: not checked, not «no».
    expect(row(await pupilPage(world.missing.sourceId), classOf(world.missing.sourceId))[1]).toBe('unknown');
  });

  it('undelivered records of a code are searched by pupil (the school’s staff); the operator cannot find them by name', async () => {
    const admin = await dash.signIn('2000000001', 'Админов Сергей Петрович', 'school_admin', world.link.school.sourceId);
    const url = (q: string) => `/failures/dnevnik.parameter_invalid?q=${encodeURIComponent(q)}`;
    const all = (await get('/failures/dnevnik.parameter_invalid', admin.headers)).body;
    const total = (all.match(/<tr data-change=/g) ?? []).length;
    expect(total).toBeGreaterThan(0);
    const name = fullName(world.unenrolled);
    const found = (await get(url(world.unenrolled.lastName.toLowerCase()), admin.headers)).body;
    const rows = found.match(/<tr data-change=.*?<\/tr>/g) ?? [];
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r).toContain(name);
    expect(found).toContain(`value="${world.unenrolled.lastName.toLowerCase()}"`);
    const other = world.source.pupils.find((p) => p.sourceId !== world.unenrolled.sourceId && p.lastName !== world.unenrolled.lastName)!;
    expect((await get(url(other.lastName), admin.headers)).body).toContain(`По запросу «${other.lastName}» недоставленных записей с этим кодом нет.`);
    const op = await dash.signIn('2000000002', 'Операторова Мария Ивановна', 'operator', null);
    expect((await get(url(world.unenrolled.lastName), op.headers)).body).not.toContain('<tr data-change=');
    // The API answers the same search.
    const api = (await get(`/api/failures/dnevnik.parameter_invalid?q=${encodeURIComponent(world.unenrolled.lastName)}`, admin.headers)).json() as { total: number; q: string; rows: { readable: { who: string } }[] };
    expect(api.total).toBe(rows.length);
    expect(api.rows.every((r) => r.readable.who.startsWith(name))).toBe(true);
  });

  it('the run report CSV reads in school terms', async () => {
    const admin = await dash.signIn('2000000001', 'Админов Сергей Петрович', 'school_admin', world.link.school.sourceId);
    const r = await get(`/api/runs/${heldRun}/exports/report?format=csv`, admin.headers);
    const text = r.rawPayload.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toContain('Кого касается;Класс, предмет, дата, работа;Было → станет');
    expect(text).toMatch(/Отметки;архивация;[^;]+, \d+[А-Я]/);
  });

  it('the monthly discrepancy report: classes and subjects where the МИС and the journal differ, the journal’s extra marks by name, pupils without marks; as XLSX', async () => {
    const admin = await dash.signIn('2000000001', 'Админов Сергей Петрович', 'school_admin', world.link.school.sourceId);
    const page = (await get(`/reports/discrepancy?link=${world.link.id}&month=2026-11`, admin.headers)).body;
    expect(page).toContain('Сверка МИС и журнала за ноябрь 2026');
    // A quarter of the marks left the export but are still in the journal (the held run has not archived them).
    // (Marks of the pupils the journal could not take — the missing and the unenrolled one — never reached it.)
    const removed = world.source.marks.filter((m, i) => i % 4 === 0 && m.kind === 'current' && m.date.startsWith('2026-11') && m.pupilId !== world.missing.sourceId && m.pupilId !== world.unenrolled.sourceId);
    expect(removed.length).toBeGreaterThan(10);
    const table = page.slice(page.indexOf('id="by-class-subject"'), page.indexOf('id="mis-lacking"'));
    expect(table).toMatch(/data-label="Разница"><b>-\d+<\/b>/);
    const extra = page.slice(page.indexOf('id="journal-extra"'), page.indexOf('id="without-marks"'));
    expect(extra).toContain(`В журнале есть, в МИС нет (${removed.length})`);
    const pupil = world.source.pupils.find((p) => p.sourceId === removed[0].pupilId)!;
    expect(extra).toContain(fullName(pupil));
    // The missing pupil has marks in the МИС but none in the journal.
    expect(page.slice(page.indexOf('id="without-marks"'))).toContain(fullName(world.missing));

    const r = await get(`/api/reports/discrepancy?link=${world.link.id}&month=2026-11&format=xlsx`, admin.headers);
    expect(r.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['Раздел', 'Класс', 'Предмет', 'Ученик', 'Что', 'В МИС', 'В журнале', 'Подробности']);
    const sections = new Set<string>();
    sheet.eachRow((row, n) => n > 1 && sections.add(String(row.getCell(1).value)));
    expect([...sections]).toEqual(expect.arrayContaining(['Текущие отметки: расхождение по классу и предмету', 'В журнале есть, в МИС нет', 'Ученики без отметок за месяц']));
    const audit = (await world.store.audit.list({ limit: 5 })).find((a) => a.action === 'export.download');
    expect(audit).toMatchObject({ actorOid: '2000000001', details: { table: 'discrepancy', format: 'xlsx', month: '2026-11' } });
  });

  it('final marks per class: the МИС, the journal, what was delivered', async () => {
    const admin = await dash.signIn('2000000001', 'Админов Сергей Петрович', 'school_admin', world.link.school.sourceId);
    const r = await get(`/api/reports/final-marks?link=${world.link.id}`, admin.headers);
    expect(r.statusCode).toBe(200);
    const body = r.json() as { rows: { className: string; mis: number; journal: number; delivered: number }[] };
    const finals = world.source.marks.filter((m) => m.kind !== 'current').length;
    expect(body.rows.reduce((n, x) => n + x.mis, 0)).toBe(finals);
    const page = (await get(`/reports/final-marks?link=${world.link.id}`, admin.headers)).body;
    expect(page).toContain('Итоговые отметки');
    // Another school's report is not found.
    const other = await dash.signIn('2000000009', 'Чужой Админ', 'school_admin', 'school-elsewhere');
    expect((await get(`/reports/discrepancy?link=${world.link.id}`, other.headers)).statusCode).toBe(404);
  });
});
