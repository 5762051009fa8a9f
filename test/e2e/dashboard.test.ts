import { existsSync, readFileSync, statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { fullName } from '../../src/model';
import { storeTables, textRowsQuery } from '../../src/store/backup/store-tables';
import { startE2eStand } from '../helpers/e2e-demo';

const OPERATOR = '1000100001';
const ADMIN_A = '1000100002';
/** A phone in portrait: the layout must work at this width. */
const PHONE = { width: 390, height: 844 };

jest.setTimeout(240_000);

describe('the failed-sync dashboard in a real browser (Chromium, ЕСИА and Дневник.ру emulators, PostgreSQL, Redis)', () => {
  let stand: Awaited<ReturnType<typeof startE2eStand>>;

  beforeAll(async () => {
    stand = await startE2eStand();
  });

  afterAll(async () => {
    await stand?.close();
  });

  it('the demo world holds one finished, one partly failed and one held run', () => {
    const { runs } = stand.demo.world;
    expect(runs.finished.status).toBe('succeeded');
    expect(runs.failing.status).toBe('partial');
    expect(runs.held.status).toBe('held');
  });

  /** Screenshots of a page at the desktop size and at a phone's width (whole page). */
  async function shoot(page: Page, name: string) {
    const dir = `${__dirname}/../../test-artifacts/screenshots`;
    await page.screenshot({ path: `${dir}/${name}-desktop.png`, fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: `${dir}/${name}-390.png` });
    await page.screenshot({ path: `${dir}/${name}-390-full.png`, fullPage: true });
    // Nothing may be wider than the phone's screen (no sideways scrolling of the page): name what sticks out.
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && getComputedStyle(e).position !== 'fixed' && !e.closest('.scroll, table:not(.stack)'))
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}: ${(e.textContent ?? '').slice(0, 40)}`),
    );
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect([name, overflow, wide]).toEqual([name, 0, []]);
    await page.setViewportSize({ width: 1366, height: 768 });
  }

  it('a school administrator reviews the held run: each change in Russian with the pupil’s name and class, subject, date and «mark»', async () => {
    const held = stand.demo.world.runs.held;
    const names = new Set(stand.demo.world.schools.a.source.pupils.map(fullName));
    const { context, page } = await stand.signIn(ADMIN_A);
    try {
      await page.click('#held a');
      await page.waitForURL(`${stand.demo.url}/runs/${held.id}`);
      await page.click('details summary:has-text("Отметки — архивация")');
      const rows = page.locator('details:has(summary:has-text("Отметки — архивация")) table tbody tr');
      const n = await rows.count();
      expect(n).toBeGreaterThan(10);
      for (let i = 0; i < n; i++) {
        const who = (await rows.nth(i).locator('.who').textContent())!;
        const [name, cls] = who.split(', ');
        expect([who, names.has(name)]).toEqual([who, true]);
        expect(cls).toMatch(/^\d{1,2}[А-Я]$/);
        const what = (await rows.nth(i).locator('td[data-label="Кого касается"] .hint').textContent())!;
        expect(what).toMatch(/\d{2}\.\d{2}\.\d{4}/);
        const fields = (await rows.nth(i).locator('ul.fields').textContent())!;
        expect(fields).toMatch(/Отметка: «[^»]+»/);
        expect(fields).toContain('Вид отметки: текущая');
      }
      const text = (await page.locator('main').textContent())!;
      expect(text).not.toMatch(/pupilId|workId|groupId/);
      await shoot(page, 'admin-held-run');
    } finally {
      await context.close();
    }
  });

  it('a school administrator follows a failure to the manual action that fixes it, finds a pupil, and downloads the discrepancy report as XLSX', async () => {
    const failing = stand.demo.world.runs.failing; // school B
    const store = stand.demo.runtime.ctx.store;
    const schoolB = stand.demo.world.schools.b.link.school.sourceId;
    // The administrator looks after school B too for this visit.
    await store.access.assign(ADMIN_A, 'school_admin', schoolB, 'e2e');
    const { context, page } = await stand.signIn(ADMIN_A);
    try {
      await page.goto(`${stand.demo.url}/runs/${failing.id}`);
      const group = page.locator('.failure-group[data-code="dnevnik.parameter_invalid"]');
      expect(await group.locator('.fix').textContent()).toContain('администратор ЭЖ школы');
      expect(await group.locator('.hint').first().textContent()).not.toContain('config/');
      const fix = group.locator('a[data-fix]').first();
      const actionId = (await fix.getAttribute('data-fix'))!;
      const title = (await fix.textContent())!;
      expect(title).toMatch(/^Зачислить ученика в класс/);
      await shoot(page, 'admin-failures');
      await fix.click();
      const row = page.locator(`tr[data-action="${actionId}"]`);
      await row.waitFor({ state: 'visible' });
      expect(await row.locator('.manual-data').textContent()).toMatch(/Обучающийся: [А-ЯЁ]/);
      expect(page.url()).toContain(`#manual-${actionId}`);

      // Find a pupil by surname (the school's own staff may search by name).
      const pupil = stand.demo.world.schools.a.source.pupils[3];
      await page.goto(`${stand.demo.url}/pupils`);
      await page.click(`a[href="/links/demo-a/pupils"]`);
      await page.fill('input[name="q"]', pupil.lastName.toLowerCase());
      await page.press('input[name="q"]', 'Enter');
      await page.waitForURL(/\/links\/demo-a\/pupils\?q=/);
      await page.click(`tr[data-pupil="${pupil.sourceId}"] a`);
      await page.waitForURL(`${stand.demo.url}/links/demo-a/pupils/${pupil.sourceId}`);
      expect(await page.locator('#pupil-name').textContent()).toContain(fullName(pupil));
      expect(await page.locator('#pupil-summary').textContent()).toContain('Отметки');
      // The class in the МИС next to the platform's.
      expect(await page.locator('#pupil-memberships tbody tr').first().textContent()).toMatch(/класс.*с \d{2}\.\d{2}\.\d{4}.*да/);
      await shoot(page, 'admin-pupil');

      // The discrepancy report of the month, as a page and as XLSX.
      await page.goto(`${stand.demo.url}/reports`);
      await page.click('a[href^="/reports/discrepancy?link=demo-a"]');
      // The demo's school lives in November 2026: back to it from this month.
      while (!/за ноябрь 2026/.test((await page.locator('h1').textContent())!)) await page.click('a:has-text("← предыдущий месяц")');
      expect(await page.locator('h1').textContent()).toMatch(/^Сверка МИС и журнала за ноябрь 2026 — /);
      expect(await page.locator('#journal-extra').textContent()).toMatch(/В журнале есть, в МИС нет \(\d+\)/);
      await shoot(page, 'admin-discrepancy');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-xlsx')]);
      expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
      const file = await download.path();
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
      expect((wb.worksheets[0].getRow(1).values as unknown[]).slice(1, 4)).toEqual(['Раздел', 'Класс', 'Предмет']);
      expect(wb.worksheets[0].actualRowCount).toBeGreaterThan(1);

      await page.goto(`${stand.demo.url}/worklist`);
      await shoot(page, 'admin-worklist');
      await page.goto(`${stand.demo.url}/`);
      await shoot(page, 'admin-overview');
    } finally {
      await context.close();
      await store.access.revoke(ADMIN_A, 'school_admin', schoolB);
    }
  });

  it('signs in through ЕСИА and shows every school to the operator, with the chart and the held run', async () => {
    const { context, page } = await stand.signIn(OPERATOR);
    try {
      expect(await page.locator('h1').textContent()).toBe('Обзор связей и запусков');
      const names = await page.locator('#links tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-link')));
      expect(names.sort()).toEqual(['demo-a', 'demo-b']);
      expect(await page.locator('header .who-name').textContent()).toBe('Операторова Мария Ивановна');
      expect(await page.locator('#held').textContent()).toContain('Ждут вашего решения (1)');
      expect(await page.locator('figure.chart svg rect.bar-bad').count()).toBe(1);
      expect(await page.locator('tr[data-link="demo-b"]').textContent()).toContain('не доставлено');
      await stand.screenshot(page, 'overview');
    } finally {
      await context.close();
    }
  });

  it('a run with injected failures shows them with codes, and a retry from the page delivers them', async () => {
    const run = stand.demo.world.runs.failing;
    const emulatorB = stand.demo.world.schools.b.emulator;
    const { context, page } = await stand.signIn(OPERATOR);
    try {
      await page.goto(`${stand.demo.url}/runs/${run.id}`);
      const group = page.locator('.failure-group[data-code="dnevnik.parameter_invalid"]');
      expect(await group.locator('h3').textContent()).toContain('Дневник.ру отклонил данные запроса');
      const failed = await group.locator('tbody tr').count();
      expect(failed).toBeGreaterThan(0);
      // Every row says what the platform answered last.
      expect(await group.locator('tbody tr').first().textContent()).toMatch(/HTTP 400, код dnevnik\.parameter_invalid/);
      // …and in the platform's own words, from the queue.
      expect(await group.locator('tbody tr .platform-answer').first().textContent()).toMatch(/не состоит в группе/);
      expect(await page.locator('#manual').textContent()).toContain('Сделать вручную');
      // Operators see the delivery's job on the queue board.
      const jobHref = await group.locator('tbody tr a[href^="/queues/queue/"]').first().getAttribute('href');
      expect(jobHref).toMatch(/^\/queues\/queue\/deliver-dnevnik-emulator\/run-/);
      await stand.screenshot(page, 'run-detail');

      await page.goto(`${stand.demo.url}/failures`);
      const row = page.locator('#failure-groups tr[data-code="dnevnik.parameter_invalid"]');
      expect(await row.locator('td').nth(2).textContent()).toBe(String(failed));
      await stand.screenshot(page, 'failures');

      const writesBefore = emulatorB.state.writes.length;
      await page.goto(`${stand.demo.url}/runs/${run.id}`);
      await page.click('#run-actions a[href$="/confirm/retry"]');
      expect(await page.locator('#confirm').textContent()).toContain(`Будет повторено: ${failed}`);
      await page.click('#confirm-submit');
      // The run page follows the retry (polling its status) and reloads once it has settled.
      await page.waitForSelector('.card .st[data-status="succeeded"]', { timeout: 90_000 });
      expect(await page.locator('.failure-group').count()).toBe(0);
      expect(emulatorB.state.writes.length - writesBefore).toBe(failed);
      expect((await stand.demo.runtime.ctx.store.runs.require(run.id)).status).toBe('succeeded');
    } finally {
      await context.close();
    }
  });

  it('a school administrator cannot open another school’s run, by link or by API', async () => {
    const other = stand.demo.world.runs.failing; // school B
    const { context, page } = await stand.signIn(ADMIN_A);
    try {
      const names = await page.locator('#links tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-link')));
      expect(names).toEqual(['demo-a']);
      const response = await page.goto(`${stand.demo.url}/runs/${other.id}`);
      expect(response!.status()).toBe(404);
      const body = await page.locator('body').textContent();
      expect(body).toContain('Запуск не найден');
      expect(body).not.toContain(stand.demo.world.schools.b.link.name);
      for (const path of [`/api/runs/${other.id}`, `/api/runs/${other.id}/status`, `/api/runs/${other.id}/changes`, `/api/runs/${other.id}/exports/report?format=csv`]) {
        const r = await page.request.get(stand.demo.url + path);
        expect([path, r.status()]).toEqual([path, 404]);
        expect(await r.text()).not.toContain(other.linkId);
      }
      const list = await (await page.request.get(`${stand.demo.url}/api/runs`)).json();
      expect(list.runs.map((r: { schoolId: string }) => r.schoolId)).not.toContain(other.schoolId);
      const csrf = (await (await page.request.get(`${stand.demo.url}/api/session`)).json()).csrfToken;
      const act = await page.request.post(`${stand.demo.url}/api/runs/${other.id}/rollback`, { headers: { 'x-csrf-token': csrf } });
      expect(act.status()).toBe(404);
    } finally {
      await context.close();
    }
  });

  it('an action without the CSRF token is refused (form and API)', async () => {
    const { context, page } = await stand.signIn(ADMIN_A);
    try {
      await page.goto(`${stand.demo.url}/links/demo-a/confirm/pause`);
      expect(await page.locator('#confirm').textContent()).toContain(`Школа: ${stand.demo.world.schools.a.source.school.name}`);
      // A forged form: the same action, without the token.
      await page.locator('form[action$="/actions/pause"] input[name="_csrf"]').evaluate((el) => el.remove());
      const [response] = await Promise.all([page.waitForNavigation(), page.click('#confirm-submit')]);
      expect(response!.status()).toBe(403);
      expect(await page.locator('h1').textContent()).toBe('Действие отклонено');
      const api = await page.evaluate(async () => {
        const r = await fetch('/api/links/demo-a/pause', { method: 'POST' });
        return { status: r.status, body: await r.json() };
      });
      expect(api).toMatchObject({ status: 403, body: { error: 'csrf' } });
      expect((await stand.demo.runtime.ctx.store.links.get('demo-a'))!.paused).toBe(false);
    } finally {
      await context.close();
    }
  });

  it('a held run is approved from the page, and the audit trail says who did it', async () => {
    const held = stand.demo.world.runs.held;
    const { context, page } = await stand.signIn(ADMIN_A);
    try {
      await page.click('#held a');
      await page.waitForURL(`${stand.demo.url}/runs/${held.id}`);
      expect(await page.locator('#held-reasons').textContent()).toContain('guard.threshold_archive');
      expect(await page.locator('details summary').filter({ hasText: 'Отметки — архивация' }).count()).toBe(1);
      await stand.screenshot(page, 'run-held');
      await page.click('#run-actions a[href$="/confirm/approve"]');
      // The confirmation names the school, not its id.
      expect(await page.locator('#confirm').textContent()).toContain(`школа ${stand.demo.world.schools.a.source.school.name}`);
      await page.fill('textarea[name="reason"]', 'Отметки удалены учителем по ошибке в МИС? Нет — четверть закрыта, удаление верно');
      await page.click('#confirm-submit');
      await page.waitForSelector('.card .st[data-status="succeeded"]', { timeout: 90_000 });
      expect((await stand.demo.runtime.ctx.store.runs.require(held.id)).status).toBe('succeeded');

      await page.goto(`${stand.demo.url}/audit`);
      const approved = page.locator('#audit tr[data-action="run.approved"]');
      expect(await approved.count()).toBe(1);
      expect(await approved.textContent()).toContain('Админов Сергей Петрович');
      expect(await approved.textContent()).toContain('1000100002');
      expect(await approved.textContent()).toContain('четверть закрыта');
      // The school's administrator sees their school's trail: their own sign-ins, nobody else's.
      const signIns = await page.locator('#audit tr[data-action="sign_in"]').allTextContents();
      expect(signIns.length).toBeGreaterThan(0);
      for (const t of signIns) expect(t).toContain('Админов Сергей Петрович');
    } finally {
      await context.close();
    }
  });

  it('the operator sees the retry and the approval in the audit trail; screenshots were saved; no CSP violations', async () => {
    const { context, page } = await stand.signIn(OPERATOR);
    try {
      await page.goto(`${stand.demo.url}/audit`);
      const actions = await page.locator('#audit tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
      expect(actions).toEqual(expect.arrayContaining(['run.approved', 'run.applying', 'sign_in']));
      await stand.screenshot(page, 'audit');
      const board = await page.request.get(`${stand.demo.url}/queues/`);
      expect(board.status()).toBe(200);
    } finally {
      await context.close();
    }
    for (const name of ['overview', 'run-detail', 'failures', 'audit', 'run-held', ...['admin-held-run', 'admin-failures', 'admin-pupil', 'admin-discrepancy', 'admin-worklist', 'admin-overview'].flatMap((n) => [`${n}-desktop`, `${n}-390`])]) {
      const file = `${__dirname}/../../test-artifacts/screenshots/${name}.png`;
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).size).toBeGreaterThan(10_000);
    }
    expect(stand.cspViolations).toEqual([]);
  });

  it('after the demo (syncs, failures, retry, approval, downloads) no table of the store holds a pupil’s СНИЛС, full name or birth date in clear', async () => {
    const db = stand.demo.runtime.ctx.store.db;
    const values: { table: string; value: string }[] = [];
    for (const table of await storeTables(db)) {
      const rows = await textRowsQuery(table).execute(db);
      for (const row of rows.rows as Record<string, string | null>[]) for (const v of Object.values(row)) if (v) values.push({ table: table.name, value: v });
    }
    const tables = new Set(values.map((v) => v.table));
    for (const t of ['manual_worklist', 'school_rosters', 'run_changes', 'audit', 'runs']) expect(tables).toContain(t);
    const pupils = [...stand.demo.world.schools.a.source.pupils, ...stand.demo.world.schools.b.source.pupils];
    const snils = pupils.flatMap((p) => (p.snils ? [p.snils.replace(/\D/g, '')] : []));
    expect(snils.length).toBeGreaterThan(10);
    const names = pupils.map(fullName);
    const births = pupils.flatMap((p) => (p.birthDate ? [p.birthDate, p.birthDate.split('-').reverse().join('.')] : []));
    const leaks = values
      .filter((v) => snils.some((s) => v.value.replace(/[- ]/g, '').includes(s)) || names.some((n) => v.value.includes(n)) || births.some((b) => v.value.includes(b)))
      .map((v) => `${v.table}: ${v.value.slice(0, 120)}`);
    expect(leaks).toEqual([]);
  });
});
