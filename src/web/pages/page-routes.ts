import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ENTITY_LABELS, type EntityCollection } from '../../model';
import { approveRun, discardRun, retryFailed, type RunActionContext } from '../../queue/run-pipeline/run-actions';
import { rollbackRun } from '../../queue/run-pipeline/rollback-run';
import { canActOnSchool, canSeeSchool, ROLE_LABELS } from '../auth/roles';
import { visibleSchools } from '../api/scope';
import { errorPage } from '../server';
import { html, layout, type Html } from './html';
import { statusBadge, when } from './labels';

const OPS: Record<string, string> = { create: 'создать', update: 'изменить', archive: 'архивировать' };

function page(req: FastifyRequest, reply: FastifyReply, title: string, body: Html) {
  const p = req.principal!;
  const who = `${p.displayName} (${p.roles.map((r) => ROLE_LABELS[r]).join(', ')})`;
  return reply.type('text/html; charset=utf-8').send(layout({ title, who, csrf: req.session?.csrfToken }, body));
}

function actionForm(action: string, csrf: string, label: string, extra: Html = html``): Html {
  return html`<form class="inline" method="post" action="${action}"><input type="hidden" name="_csrf" value="${csrf}">${extra}<label class="confirm"><input type="checkbox" name="confirm" value="yes" required> подтверждаю</label><button type="submit">${label}</button></form>`;
}

/** The administrators' pages (Russian, server-rendered, no scripts). */
export function registerPageRoutes(app: FastifyInstance, ctx: RunActionContext): void {
  const { store } = ctx;

  app.get('/', async (req, reply) => {
    const links = await store.links.list(visibleSchools(req.principal!));
    const rows: Html[] = [];
    for (const link of links) {
      const [last] = await store.runs.list({ linkId: link.id, limit: 1 });
      const recent = await store.runs.recentStatuses(link.id, 10);
      let streak = 0;
      for (const s of recent) {
        if (s === 'failed' || s === 'partial') streak++;
        else break;
      }
      rows.push(
        html`<tr><td>${link.name}</td><td>${link.schoolId}</td><td>${link.platform === 'dnevnik' ? 'Дневник.ру' : link.platform}</td>
<td>${last ? html`<a href="/runs/${last.id}">${statusBadge(last.status)}</a> ${when(last.createdAt)}` : 'запусков не было'}</td>
<td class="num">${last ? last.writes : ''}</td><td class="num">${streak || ''}</td><td>${link.paused ? 'приостановлена' : 'активна'}</td></tr>`,
      );
    }
    const held = await store.runs.list({ status: 'held', schoolIds: visibleSchools(req.principal!), limit: 20 });
    return page(
      req,
      reply,
      'Связи и запуски',
      html`${held.length ? html`<div class="banner">Ждут решения: ${held.map((r) => html`<a href="/runs/${r.id}">${r.linkId}</a> `)}</div>` : ''}
<table><thead><tr><th>Связь</th><th>Школа</th><th>Платформа</th><th>Последний запуск</th><th class="num">Записей на платформу</th><th class="num">Ошибок подряд</th><th>Состояние</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="7">Связей пока нет.</td></tr>`}</tbody></table>`,
    );
  });

  app.get('/runs/:id', async (req, reply) => {
    const run = await store.runs.get((req.params as { id: string }).id);
    if (!run || !canSeeSchool(req.principal!, run.schoolId)) return reply.code(404).type('text/html; charset=utf-8').send(errorPage('Запуск не найден', 'Проверьте ссылку или откройте список запусков.'));
    const csrf = req.session!.csrfToken;
    const mayAct = canActOnSchool(req.principal!, run.schoolId);
    const [findings, failed, manual] = await Promise.all([store.findings.forRun(run.id, 500), store.changes.list(run.id, { status: 'failed', limit: 500 }), store.manualActions.forRun(run.id)]);
    const plan = ((run.summary as { plan?: Record<string, Record<string, number>> }).plan ?? {}) as Record<string, Record<string, number>>;
    const planRows = Object.entries(plan)
      .filter(([, c]) => Object.values(c).some((n) => n > 0))
      .map(([e, c]) => html`<tr><td>${ENTITY_LABELS[e as EntityCollection] ?? e}</td><td class="num">${c.create ?? 0}</td><td class="num">${c.update ?? 0}</td><td class="num">${c.archive ?? 0}</td><td class="num">${c.unchanged ?? 0}</td><td class="num">${c.manual ?? 0}</td><td class="num">${c.findings ?? 0}</td></tr>`);
    const actions: Html[] = [];
    if (mayAct && run.status === 'held') {
      actions.push(actionForm(`/runs/${run.id}/approve`, csrf, 'Одобрить и отправить'));
      actions.push(actionForm(`/runs/${run.id}/discard`, csrf, 'Отклонить', html`<input name="reason" placeholder="причина" required> `));
    }
    if (mayAct && failed.length && ['partial', 'failed'].includes(run.status)) actions.push(actionForm(`/runs/${run.id}/retry`, csrf, `Повторить недоставленные (${failed.length})`));
    if (mayAct && ['succeeded', 'partial', 'failed'].includes(run.status) && run.kind === 'sync') actions.push(actionForm(`/runs/${run.id}/rollback`, csrf, 'Откатить запуск'));
    const reasons = (run.heldReasons as { code?: string; message?: string; hint?: string }[]).map((r) => html`<li><b>${r.code}</b>: ${r.message ?? ''} <span class="hint">${r.hint ?? ''}</span></li>`);
    return page(
      req,
      reply,
      `Запуск ${run.id}`,
      html`<div class="card">${statusBadge(run.status)} связь <b>${run.linkId}</b>, школа ${run.schoolId}; начат ${when(run.createdAt)}${run.finishedAt ? `, завершён ${when(run.finishedAt)}` : ''}.
Платформа: ${run.environment === 'emulator' ? 'эмулятор (песочница, не рабочий журнал)' : 'рабочая платформа'}. Записей на платформу: ${run.writes}.</div>
${actions.length ? html`<div class="card">${actions}</div>` : ''}
${reasons.length ? html`<h2>Почему задержан</h2><ul>${reasons}</ul>` : ''}
<h2>Изменения по видам записей</h2><table><thead><tr><th>Вид</th><th class="num">создать</th><th class="num">изменить</th><th class="num">архивировать</th><th class="num">без изменений</th><th class="num">вручную</th><th class="num">замечания</th></tr></thead><tbody>${planRows.length ? planRows : html`<tr><td colspan="7">План пуст.</td></tr>`}</tbody></table>
<h2>Недоставленные изменения (${failed.length})</h2><table><thead><tr><th>Вид</th><th>Действие</th><th>Запись</th><th>Код</th><th class="num">Попыток</th></tr></thead><tbody>${failed.map((c) => html`<tr><td>${ENTITY_LABELS[c.entity] ?? c.entity}</td><td>${OPS[c.op] ?? c.op}</td><td>${c.sourceId}</td><td>${c.lastErrorCode}</td><td class="num">${c.attempts}</td></tr>`)}</tbody></table>
<h2>Ручные действия в интерфейсе платформы (${manual.length})</h2>${manual.map((a) => html`<div class="card"><b>${a.title}</b><div class="hint">${a.reason}</div><table>${a.fields.map((f) => html`<tr><th>${f.label}</th><td>${f.value}</td></tr>`)}</table></div>`)}
<h2>Замечания (${findings.length})</h2><table><thead><tr><th>Код</th><th>Что случилось</th><th>Что делать</th><th>Где</th></tr></thead><tbody>${findings.map((f) => html`<tr><td>${f.code}</td><td>${f.message}</td><td class="hint">${f.hint}</td><td>${[f.file, f.row, f.field, f.entity, f.sourceId].filter((x) => x !== undefined).join(' · ')}</td></tr>`)}</tbody></table>`,
    );
  });

  app.get('/failures', async (req, reply) => {
    const links = await store.links.list(visibleSchools(req.principal!));
    const failures = await store.deliveries.failuresByCode({ linkIds: links.map((l) => l.id) });
    return page(req, reply, 'Ошибки доставки по кодам', html`<table><thead><tr><th>Код</th><th class="num">Попыток с ошибкой</th><th>Впервые</th><th>Последний раз</th></tr></thead><tbody>${failures.map((f) => html`<tr><td>${f.code}</td><td class="num">${f.count}</td><td>${when(f.firstSeen)}</td><td>${when(f.lastSeen)}</td></tr>`)}</tbody></table>`);
  });

  app.get('/audit', async (req, reply) => {
    const entries = await store.audit.list({ schoolIds: visibleSchools(req.principal!), limit: 300 });
    return page(req, reply, 'Журнал действий', html`<table><thead><tr><th>Когда</th><th>Кто</th><th>Действие</th><th>Объект</th><th>Подробности</th></tr></thead><tbody>${entries.map((e) => html`<tr><td>${when(e.at)}</td><td>${e.actorName}</td><td>${e.action}</td><td>${e.objectType} ${e.objectId ?? ''}</td><td class="hint">${JSON.stringify(e.details)}</td></tr>`)}</tbody></table>`);
  });

  const act = (name: string, run: (id: string, req: FastifyRequest) => Promise<unknown>) =>
    app.post(`/runs/:id/${name}`, async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const found = await store.runs.get(id);
      if (!found || !canSeeSchool(req.principal!, found.schoolId)) return reply.code(404).type('text/html; charset=utf-8').send(errorPage('Запуск не найден', 'Проверьте ссылку.'));
      if (!canActOnSchool(req.principal!, found.schoolId)) return reply.code(403).type('text/html; charset=utf-8').send(errorPage('Недостаточно прав', 'Действие доступно администратору ЭЖ этой школы или оператору.'));
      if ((req.body as { confirm?: string } | undefined)?.confirm !== 'yes') return reply.code(400).type('text/html; charset=utf-8').send(errorPage('Действие не подтверждено', 'Отметьте «подтверждаю» и нажмите кнопку ещё раз.'));
      await run(id, req);
      return reply.redirect(`/runs/${id}`, 303);
    });
  const actor = (req: FastifyRequest) => ({ actorOid: req.principal!.oid, actorName: req.principal!.displayName });
  act('approve', (id, req) => approveRun(ctx, id, actor(req)));
  act('discard', (id, req) => discardRun(ctx, id, actor(req), (req.body as { reason?: string }).reason));
  act('retry', (id, req) => retryFailed(ctx, id, actor(req)));
  act('rollback', (id, req) => rollbackRun(ctx, id, actor(req)));
}
