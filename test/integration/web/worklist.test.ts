import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { startSchoolWorld } from '../../helpers/school-world';
import { worldDashboard } from '../../helpers/world-dashboard';

jest.setTimeout(300_000);
const run = promisify(execFile);
const BIN = path.resolve(__dirname, '../../../bin/ejsync.js');

describe('the manual-action worklist lives across runs; failures lead to their fix; identities are linked by hand (real pipeline, CLI built)', () => {
  let world: Awaited<ReturnType<typeof startSchoolWorld>>;
  let dash: Awaited<ReturnType<typeof worldDashboard>>;
  let first: string;
  const cli = (args: string[]) =>
    run(process.execPath, [BIN, ...args], { env: world.cliEnv }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  beforeAll(async () => {
    world = await startSchoolWorld({ pupils: 24, seed: 'ejsync-worklist' });
    dash = await worldDashboard(world);
    const r = await world.sync();
    expect(r.status).toBe('partial');
    first = r.id;
  });

  afterAll(async () => {
    await dash?.app.close();
    await world?.close();
  });

  const worklist = async () => (await world.store.manualActions.worklist({ linkIds: [world.link.id], limit: 1000 })).rows;

  it('a refused mark of the unenrolled pupil links to the manual action that enrols them', async () => {
    const admin = await dash.signIn('2000000001', 'Админов Сергей Петрович', 'school_admin', world.link.school.sourceId);
    const page = (await dash.app.inject({ url: `/runs/${first}`, headers: admin.headers })).body;
    const group = page.slice(page.indexOf('data-code="dnevnik.parameter_invalid"'));
    expect(group).toContain('Кто исправляет:</b> администратор ЭЖ школы');
    const enrol = (await worklist()).find((a) => a.entity === 'memberships' && a.pupilId === world.unenrolled.sourceId)!;
    expect(enrol.title).toMatch(/^Зачислить ученика в класс/);
    expect(group).toContain(`href="#manual-${enrol.actionId}" data-fix="${enrol.actionId}">${enrol.title}</a>`);
    expect(page).toContain(`id="manual-${enrol.actionId}"`);
    // The school's administrator is not sent to a config file.
    expect(group.slice(0, group.indexOf('</section>'))).not.toContain('config/platforms');
  });

  it('«done» carries over to the next run; what the platform now shows is checked off; each action stays one record', async () => {
    const before = await worklist();
    const create = before.find((a) => a.entity === 'pupils' && a.sourceId === world.missing.sourceId)!;
    await world.store.manualActions.setStatus(first, [create.actionId], 'done', { actorOid: '2000000001', actorName: 'Админов Сергей Петрович' });
    world.enrolOnPlatform();
    const second = await world.sync();
    const after = await worklist();
    expect(after).toHaveLength(before.length);
    expect(after.find((a) => a.actionId === create.actionId)).toMatchObject({ status: 'done', lastRunId: second.id, firstRunId: first, doneBy: { name: 'Админов Сергей Петрович' } });
    const enrol = after.find((a) => a.entity === 'memberships' && a.pupilId === world.unenrolled.sourceId)!;
    expect(enrol).toMatchObject({ status: 'resolved', resolvedRunId: second.id });
    // The second run lists the done action as done, not as a new open one.
    const listed = await world.store.manualActions.forRun(second.id);
    expect(listed.find((a) => a.actionId === create.actionId)?.status).toBe('done');
  });

  it('ejsync worklist lists the actions (not only a count) and flags those open too long', async () => {
    const all = await cli(['worklist', '--link', world.link.id, '--status', 'all']);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('[отмечено выполненным]');
    expect(all.stdout).toContain('[выполнено (видно на платформе)] Зачислить ученика в класс');
    expect(all.stdout).toContain(`Фамилия: ${world.missing.lastName}`);
    const overdue = await cli(['worklist', '--link', world.link.id, '--overdue-days', '0']);
    expect(overdue.code).toBe(1);
    expect(overdue.stdout).toMatch(/ОТКРЫТО 0 дн\./);
    const json = JSON.parse((await cli(['worklist', '--link', world.link.id, '--status', 'all', '--json'])).stdout);
    expect(json.actions.length).toBe((await worklist()).length);
  });

  it('ejsync identity link: refused for unknown people (identity.person_unknown), done and audited with before/after', async () => {
    const unknown = await cli(['identity', 'link', '--link', world.link.id, '--entity', 'pupils', '--source', world.missing.sourceId, '--target', '424242', '--reason', 'сверено']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('[identity.person_unknown]');
    const noReason = await world.store.identityMerges.link({ linkId: world.link.id, schoolId: world.link.school.sourceId, entity: 'pupils', sourceId: world.missing.sourceId, targetId: world.unenrolledTarget, reason: ' ' }, { actorOid: 'x', actorName: 'y' }).catch((e: { code: string }) => e.code);
    expect(noReason).toBe('identity.merge_invalid');
    const ok = await cli(['identity', 'link', '--link', world.link.id, '--entity', 'pupils', '--source', world.missing.sourceId, '--target', world.unenrolledTarget, '--reason', 'сверено по свидетельству о рождении']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`Запись платформы была связана с ${world.unenrolled.sourceId}`);
    expect(await world.store.idMap.targetId(world.link.id, 'pupils', world.missing.sourceId)).toBe(world.unenrolledTarget);
    const [row] = (await world.store.audit.list({ limit: 10 })).filter((a) => a.action === 'identity.merged');
    expect(row).toMatchObject({ actorOid: 'cli', schoolId: world.link.school.sourceId, details: { entity: 'pupils', sourceId: world.missing.sourceId, before: { targetId: null, sourceOfTarget: world.unenrolled.sourceId }, after: { targetId: world.unenrolledTarget } } });
    expect((await world.store.audit.verifyChain()).broken).toBeNull();
  });

  it('the dashboard: the worklist page lists and marks items across runs; unknown ids are refused (worklist.action_unknown); a person is linked by hand through the API', async () => {
    const admin = await dash.signIn('2000000001', 'Админов Сергей Петрович', 'school_admin', world.link.school.sourceId);
    const headers = { ...admin.headers, 'x-csrf-token': admin.csrf };
    const page = (await dash.app.inject({ url: '/worklist?status=all', headers: admin.headers })).body;
    expect(page).toContain('id="worklist"');
    expect(page).toContain('✓ выполнено, видно на платформе');
    const create = (await worklist()).find((a) => a.entity === 'pupils' && a.sourceId === world.missing.sourceId)!;
    const reopen = await dash.app.inject({ method: 'POST', url: `/api/links/${world.link.id}/worklist/reopen`, headers, payload: { actionIds: [create.actionId] } });
    expect(reopen.json()).toMatchObject({ changed: 1, status: 'open' });
    const unknown = await dash.app.inject({ method: 'POST', url: `/api/links/${world.link.id}/worklist/done`, headers, payload: { actionIds: [create.actionId, 'manual.no.such'] } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'worklist.action_unknown' });
    expect((await world.store.manualActions.item(world.link.id, create.actionId))?.status).toBe('open');
    const form = await dash.app.inject({ method: 'POST', url: `/links/${world.link.id}/worklist/done`, headers: { ...admin.headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${admin.csrf}&actionIds=${encodeURIComponent(create.actionId)}&back=${encodeURIComponent('https://evil.example/')}` });
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toBe('/worklist');
    expect((await world.store.manualActions.item(world.link.id, create.actionId))?.status).toBe('done');
    // The way back is a list of this dashboard only (issue 18 point 7): control characters,
    // backslashes and encoded tricks go to the worklist, never elsewhere and never a 500.
    for (const [back, location] of [
      ['/worklist?status=all', '/worklist?status=all'],
      ['/worklist\r\nSet-Cookie: x=1', '/worklist'],
      ['/worklist%0D%0ASet-Cookie:%20x=1', '/worklist'],
      ['/links/\t/evil.example', '/worklist'],
      ['/links/%5C%5Cevil.example', '/worklist'],
      ['/links/%2F%2Fevil.example', '/links/%2F%2Fevil.example'],
      ['/worklist/../\\evil.example', '/worklist'],
      ['//worklist', '/worklist'],
    ]) {
      const again = await dash.app.inject({ method: 'POST', url: `/links/${world.link.id}/worklist/done`, headers: { ...admin.headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${admin.csrf}&actionIds=${encodeURIComponent(create.actionId)}&back=${encodeURIComponent(back)}` });
      expect({ back, status: again.statusCode, location: again.headers.location }).toEqual({ back, status: 303, location });
    }
    // The audit keeps the state before and after.
    const marks = (await world.store.audit.list({ limit: 50 })).filter((a) => a.action === 'manual_actions.done' || a.action === 'manual_actions.reopened');
    expect(marks[0]).toMatchObject({ action: 'manual_actions.done', details: { before: 'open', after: 'done' } });
    expect(marks[1]).toMatchObject({ action: 'manual_actions.reopened', details: { before: 'done', after: 'open' } });

    const bad = await dash.app.inject({ method: 'POST', url: `/api/links/${world.link.id}/identity-merges`, headers, payload: { entity: 'pupils', sourceId: world.unenrolled.sourceId, targetId: '42', reason: 'сверено' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('identity.person_unknown');
    const ok = await dash.app.inject({ method: 'POST', url: `/api/links/${world.link.id}/identity-merges`, headers, payload: { entity: 'pupils', sourceId: world.unenrolled.sourceId, targetId: world.unenrolledTarget, reason: 'ошибочно связан — сверено по личному делу' } });
    expect(ok.json()).toMatchObject({ changed: true, before: { sourceOfTarget: world.missing.sourceId }, after: { targetId: world.unenrolledTarget } });
    const viewer = await dash.signIn('2000000003', 'Завучева Ольга Николаевна', 'viewer', world.link.school.sourceId);
    const refused = await dash.app.inject({ method: 'POST', url: `/api/links/${world.link.id}/identity-merges`, headers: { ...viewer.headers, 'x-csrf-token': viewer.csrf }, payload: { entity: 'pupils', sourceId: world.unenrolled.sourceId, targetId: world.unenrolledTarget, reason: 'x' } });
    expect(refused.statusCode).toBe(403);
    // The refusal itself is in the audit trail.
    expect((await world.store.audit.list({ limit: 5 })).some((a) => a.action === 'access.refused' && a.actorOid === '2000000003')).toBe(true);
  });
});
