import { russianDate } from '../../reconcile/russian-labels';
import type { LinkRecord } from '../../store';
import type { LinkPeriods } from '../actions/period-actions';
import { html, type Html } from './html';
import { when } from './labels';

const KIND_LABELS: Record<string, string> = { quarter: 'четверть', half_year: 'полугодие', trimester: 'триместр', year: 'год' };

/**
 * A link's reporting periods: the export's own state («закрыт в МИС»), the lock in ejsync (who,
 * when, on what order) and, for those who may act on the school, close / reopen via a
 * confirmation page.
 */
export function periodsPage(link: LinkRecord, model: LinkPeriods, mayAct: boolean, timeZone: string): Html {
  const rows = model.rows.map((r) => {
    const p = r.period;
    const state = r.lock
      ? html`<b>закрыт в ejsync</b><div class="hint">${when(r.lock.closedAt, timeZone)}, ${r.lock.closedByName}: ${r.lock.reason}</div>${p?.closed ? html`<div class="hint">закрыт и в МИС</div>` : ''}`
      : p?.closed
        ? html`закрыт в МИС`
        : html`<span class="muted">открыт</span>`;
    const action = r.lock ? 'reopen' : p ? 'close' : null;
    const href = action ? `/links/${link.id}/periods/${encodeURIComponent(r.periodId)}/confirm/${action}` : '';
    return html`<tr data-period="${r.periodId}">
<td data-label="Период"><b>${p?.name ?? r.periodId}</b><div class="hint">${p ? `${KIND_LABELS[p.kind] ?? p.kind}, ${r.periodId}` : 'нет в выгрузке МИС'}</div></td>
<td class="nowrap" data-label="Даты">${p ? `${russianDate(p.startDate)}–${russianDate(p.endDate)}` : ''}</td>
<td data-label="Классы">${p ? p.grades.join(', ') : ''}</td>
<td data-label="Состояние">${state}</td>
<td data-label="Действия"><div class="actions">${mayAct && action ? html`<a class="button small${action === 'reopen' ? ' secondary' : ''}" href="${href}">${action === 'close' ? 'Закрыть' : 'Открыть'}</a>` : ''}</div></td></tr>`;
  });
  return html`<p class="hint">Закрытый в ejsync период «замораживает» отметки и посещаемость: изменения в нём не передаются на платформу, а показываются в запуске как «задержано до решения». Закрыть или открыть период — по приказу; основание записывается в журнал действий вместе с вашей учётной записью ЕСИА.</p>
${model.sourceUnreadable ? html`<div class="banner bad">Выгрузку МИС связи прочитать не удалось: показаны только периоды, закрытые в ejsync. Загрузите выгрузку или проверьте путь к ней в файле связи.</div>` : ''}
${
  model.rows.length
    ? html`<table class="stack" id="periods"><thead><tr><th>Период</th><th>Даты</th><th>Классы</th><th>Состояние</th><th></th></tr></thead><tbody>${rows}</tbody></table>`
    : html`<p>Отчётных периодов нет.</p>`
}`;
}
