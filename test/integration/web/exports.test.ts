import ExcelJS from 'exceljs';
import { seedLink, seedPartialRun, startDashboardStand } from '../../helpers/dashboard-stand';

describe('report downloads open in Russian Excel; personal data by role (real PostgreSQL)', () => {
  let stand: Awaited<ReturnType<typeof startDashboardStand>>;
  beforeAll(async () => {
    stand = await startDashboardStand();
    await seedLink(stand.store, 'link-1', 'school-1', 'МБОУ СОШ № 1 → Дневник.ру');
    await seedPartialRun(stand.store, { id: 'run-1', linkId: 'link-1', schoolId: 'school-1', failed: 2, applied: 1, code: 'dnevnik.not_found', status: 404 });
  });
  afterAll(async () => stand.close());

  const download = async (url: string, headers: Record<string, string>) => {
    const r = await stand.app.inject({ url, headers });
    expect([url, r.statusCode]).toEqual([url, 200]);
    return r;
  };

  it('CSV: UTF-8 with BOM, «;», CRLF, Russian headers, a Russian file name', async () => {
    const admin = await stand.signedIn(['school_admin'], ['school-1']);
    const r = await download('/api/runs/run-1/exports/failures?format=csv', admin.headers);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(r.headers['content-disposition'])).toMatch(/^attachment; filename="ejsync-failures-run-1\.csv"; filename\*=UTF-8''/);
    expect(decodeURIComponent(String(r.headers['content-disposition']).split("''")[1])).toBe('недоставленные записи run-1.csv');
    const bytes = r.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0].split(';')).toEqual([
      'Код ошибки',
      'Что случилось',
      'Что делать',
      'Вид записей',
      'Действие',
      'Идентификатор в МИС',
      'Кого касается',
      'Класс, предмет, дата, работа',
      'Было → станет',
      'Как исправить',
      'Идентификатор на платформе',
      'Попыток',
      'Последний ответ (HTTP)',
      'Последняя попытка',
      'Ответ платформы',
    ]);
    expect(lines.filter(Boolean)).toHaveLength(3);
    expect(lines[1]).toMatch(/^dnevnik\.not_found;Запись не найдена в Дневник\.ру;/);
    // Whom it concerns (no school roster in this store: the pupil by code), the field in Russian, the mark in quotes.
    expect(lines[1]).toContain(';Отметки;создание;m0;обучающийся (код p1);;Отметка: «5»;;;1;404;');
  });

  it('XLSX: a workbook with a Russian header row and the rows (failures across schools, run report, findings)', async () => {
    const op = await stand.signedIn(['operator'], []);
    for (const [url, header, rows] of [
      ['/api/exports/failures?format=xlsx', ['Школа', 'Связь', 'Запуск'], 2],
      ['/api/runs/run-1/exports/report?format=xlsx', ['Вид записей', 'Действие', 'Кого касается', 'Класс, предмет, дата, работа', 'Было → станет'], 3],
      ['/api/runs/run-1/exports/findings?format=xlsx', ['Важность', 'Код'], 1],
      ['/api/exports/audit?format=xlsx', ['Когда', 'Кто', 'oid ЕСИА'], -1],
    ] as const) {
      const r = await download(url, op.headers);
      expect(r.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.worksheets[0];
      expect((sheet.getRow(1).values as unknown[]).slice(1, header.length + 1)).toEqual(header);
      if (rows >= 0) expect([url, sheet.actualRowCount - 1]).toEqual([url, rows]);
    }
  });

  it('downloads are audited with who and what', async () => {
    const admin = await stand.signedIn(['school_admin'], ['school-1'], 'Админов Сергей Петрович');
    await download('/api/runs/run-1/exports/manual-actions?format=csv', admin.headers);
    const audit = (await stand.app.inject({ url: '/api/audit?action=export.download', headers: admin.headers })).json().audit;
    expect(audit[0]).toMatchObject({ actorName: 'Админов Сергей Петрович', objectId: 'run-1', details: { table: 'manual-actions', format: 'csv' } });
  });

  it('the school administrator gets names for manual actions, СНИЛС masked; the operator gets no names', async () => {
    const admin = await stand.signedIn(['school_admin'], ['school-1']);
    const forAdmin = (await download('/api/runs/run-1/exports/manual-actions?format=csv', admin.headers)).body;
    expect(forAdmin).toContain('Фамилия: Смирнова');
    expect(forAdmin).toContain('СНИЛС: ***-***-*** 95');
    expect(forAdmin).not.toContain('112-233-445');
    const page = (await stand.app.inject({ url: '/runs/run-1', headers: admin.headers })).body;
    expect(page).toContain('Смирнова');
    expect(page).not.toContain('112-233-445');

    const op = await stand.signedIn(['operator'], []);
    const forOperator = (await download('/api/runs/run-1/exports/manual-actions?format=csv', op.headers)).body;
    expect(forOperator).not.toContain('Смирнова');
    expect(forOperator).not.toContain('12.03.2015');
    expect(forOperator).toContain('Фамилия: скрыто');
    expect(forOperator).toContain('Класс: 5А');
    const api = (await stand.app.inject({ url: '/api/runs/run-1', headers: op.headers })).body;
    expect(api).not.toContain('Смирнова');
    expect(api).not.toContain('112-233-445');
  });
});
