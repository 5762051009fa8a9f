import { RUN_STATUS_LABELS, type RunStatus } from '../../store';
import { html, type Html } from './html';

export function statusBadge(status: string): Html {
  return html`<span class="st st-${status}">${RUN_STATUS_LABELS[status as RunStatus] ?? status}</span>`;
}

export function when(d: Date | string | null | undefined, timeZone = 'Asia/Yekaterinburg'): string {
  if (!d) return '—';
  return new Intl.DateTimeFormat('ru-RU', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(d));
}
