import { html, type Html } from './html';

export interface ConfirmOptions {
  question: string;
  consequence: string;
  /** Where the confirmed form posts. */
  action: string;
  csrf: string;
  submitLabel: string;
  cancelHref: string;
  danger?: boolean;
  /** Hidden fields carried to the action (code, change). */
  hidden?: Record<string, string | undefined>;
  /** `required`: a reason must be typed; `optional`: may be. */
  reason?: 'required' | 'optional';
  /** Facts about what is affected (a list). */
  facts?: (string | Html)[];
}

/**
 * The confirmation step of every action: what will happen, in plain words, and one button.
 * The form carries the CSRF token and `confirm=yes`; the action refuses a request without them.
 */
export function confirmPage(o: ConfirmOptions): Html {
  return html`<div class="card confirm-box" id="confirm"><p><b>${o.question}</b></p><p>${o.consequence}</p>
${o.facts?.length ? html`<ul>${o.facts.map((f) => html`<li>${f}</li>`)}</ul>` : ''}
<form method="post" action="${o.action}"><input type="hidden" name="_csrf" value="${o.csrf}"><input type="hidden" name="confirm" value="yes">
${Object.entries(o.hidden ?? {})
  .filter(([, v]) => v)
  .map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
${o.reason ? html`<p><label>Причина${o.reason === 'required' ? ' (обязательно)' : ' (необязательно)'}<br><textarea name="reason"${o.reason === 'required' ? html` required` : ''} maxlength="500"></textarea></label></p>` : ''}
<div class="actions"><button type="submit" class="${o.danger ? 'danger' : ''}" id="confirm-submit">${o.submitLabel}</button><a class="button secondary" href="${o.cancelHref}">Отмена</a></div></form></div>`;
}
