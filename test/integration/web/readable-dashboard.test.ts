import { fullName } from '../../../src/model';
import { startSchoolWorld, writeMisJson } from '../../helpers/school-world';
import { worldDashboard } from '../../helpers/world-dashboard';

jest.setTimeout(240_000);

describe('a school administrator reads runs in school terms: names, classes, Russian fields; failures lead to their fix; pupils found by name (real pipeline, PostgreSQL, Redis, emulator)', () => {
  let world: Awaited<ReturnType<typeof startSchoolWorld>>;
  let dash: Awaited<ReturnType<typeof worldDashboard>>;
  let firstRun: string;
  let heldRun: string;

  beforeAll(async () => {
    world = await startSchoolWorld({ pupils: 24 });
    dash = await worldDashboard(world);
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
    expect(page).toMatch(/Отметка:<\/span> <span class="diff-before">«[^»]+»<\/span>/);
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

  it('the run report CSV reads in school terms', async () => {
    const admin = await dash.signIn('2000000001', 'Админов Сергей Петрович', 'school_admin', world.link.school.sourceId);
    const r = await get(`/api/runs/${heldRun}/exports/report?format=csv`, admin.headers);
    const text = r.rawPayload.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toContain('Кого касается;Класс, предмет, дата, работа;Было → станет');
    expect(text).toMatch(/Отметки;архивация;[^;]+, \d+[А-Я]/);
  });
});
