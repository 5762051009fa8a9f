import type { OverviewFilter, OverviewModel } from '../views/overview-model';
import { LINK_STATES } from '../views/overview-model';
import { html, query, type Html } from './html';
import { platformLabel, plural, RUN_KIND_LABELS, statusBadge, when } from './labels';
import { runsChart } from './runs-chart';

/** The overview: what needs a person first, then every link the person may see. */
export function overviewPage(model: OverviewModel, filter: OverviewFilter, timeZone: string, workers: { plan: number; delivery: number } | null): Html {
  const option = (value: string, label: string, current: string | undefined) => html`<option value="${value}"${value === (current ?? '') ? html` selected` : ''}>${label}</option>`;
  const failing = model.rows.filter((r) => r.consecutiveFailures > 0).length;
  const rows = model.rows.map(
    (r) => html`<tr class="${r.consecutiveFailures ? 'attention' : ''}" data-link="${r.id}">
<td data-label="Школа и связь"><b>${r.schoolName}</b><div class="hint">${r.name}</div><div class="hint"><a href="/links/${r.id}/pupils">ученики</a> · <a href="/worklist${query({ link: r.id })}">ручные действия</a> · <a href="/runs${query({ link: r.id })}">все запуски</a> · <a href="/reports/discrepancy${query({ link: r.id })}">сверка МИС и журнала</a> · <a href="/links/${r.id}/periods">отчётные периоды</a></div></td>
<td data-label="Платформа">${platformLabel(r.platform)}${r.lastRun?.environment === 'emulator' ? html`<div class="hint">эмулятор (песочница)</div>` : ''}</td>
<td data-label="Последний запуск">${
      r.lastRun
        ? html`<a href="/runs/${r.lastRun.id}">${statusBadge(r.lastRun.status)}</a> <span class="nowrap">${when(r.lastRun.createdAt, timeZone)}</span>
<div class="hint">${RUN_KIND_LABELS[r.lastRun.kind] ?? r.lastRun.kind}: план ${r.lastRun.totals.planned}, доставлено ${r.lastRun.totals.applied}${r.lastRun.totals.failed ? html`, <b>не доставлено ${r.lastRun.totals.failed}</b>` : ''}${r.lastRun.totals.manual ? `, вручную ${r.lastRun.totals.manual}` : ''}</div>`
        : html`<span class="muted">запусков не было</span>`
    }</td>
<td class="nowrap" data-label="Следующий запуск">${r.paused ? html`<span class="muted">приостановлена</span>` : r.nextRunAt ? when(r.nextRunAt, timeZone) : html`<span class="muted">нет расписания</span>`}</td>
<td class="num" data-label="Ошибок подряд">${r.consecutiveFailures ? html`<b>${r.consecutiveFailures}</b>` : '0'}</td>
<td data-label="Действия"><div class="actions">${
      r.mayAct
        ? html`${r.paused ? '' : html`<a class="button small" href="/links/${r.id}/confirm/run">Запустить</a>`}<a class="button small secondary" href="/links/${r.id}/confirm/${r.paused ? 'resume' : 'pause'}">${r.paused ? 'Возобновить' : 'Приостановить'}</a>`
        : ''
    }</div></td></tr>`,
  );
  return html`${
    workers && workers.plan === 0
      ? html`<div class="banner bad">Обработчики очереди не подключены: запуски не будут выполняться. Запустите <span class="code">ejsync worker</span> на сервере.</div>`
      : ''
  }
${
  model.held.length
    ? html`<div class="banner" id="held"><b>Ждут вашего решения (${model.held.length}):</b> ${model.held.map((h) => html`<a href="/runs/${h.id}">${h.schoolName}, ${when(h.createdAt, timeZone)}</a> `)}</div>`
    : ''
}
${failing ? html`<div class="banner bad">Связей с ошибками подряд: ${failing}. Они вверху списка; откройте последний запуск, чтобы увидеть причины.</div>` : ''}
${runsChart(model.chart)}
<form class="filters" method="get" action="/" data-autosubmit role="search">
<label>Поиск<input type="search" name="q" value="${filter.q ?? ''}" placeholder="школа или связь"></label>
<label>Школа<select name="school">${option('', 'все школы', filter.school)}${model.schools.map((s) => option(s.id, s.name, filter.school))}</select></label>
<label>Платформа<select name="platform">${option('', 'все', filter.platform)}${model.platforms.map((s) => option(s, platformLabel(s), filter.platform))}</select></label>
<label>Состояние<select name="state">${option('', 'все', filter.state)}${Object.entries(LINK_STATES).map(([k, v]) => option(k, v, filter.state))}</select></label>
<button type="submit">Показать</button>${filter.q || filter.school || filter.platform || filter.state ? html` <a href="/">сбросить</a>` : ''}
</form>
<p class="muted">Показано ${model.rows.length} из ${plural(model.total, 'связи', 'связей', 'связей')}.</p>
<table id="links" class="stack"><thead><tr><th>Школа и связь</th><th>Платформа</th><th>Последний запуск</th><th>Следующий запуск</th><th class="num">Ошибок подряд</th><th>Действия</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="6">Нет связей${model.total ? ' по этим условиям' : ''}.</td></tr>`}</tbody></table>
<p class="hint">Времена — по часовому поясу ${timeZone}.</p>`;
}
