import { existsSync, statSync } from 'node:fs';
import { startE2eStand } from '../helpers/e2e-demo';

const OPERATOR = '1000100001';
const ADMIN_A = '1000100002';

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
      expect(await page.locator('#audit tr[data-action="sign_in"]').count()).toBe(0); // sign-ins carry no school: operators see them
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
    for (const name of ['overview', 'run-detail', 'failures', 'audit', 'run-held']) {
      const file = `${__dirname}/../../test-artifacts/screenshots/${name}.png`;
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).size).toBeGreaterThan(10_000);
    }
    expect(stand.cspViolations).toEqual([]);
  });
});
