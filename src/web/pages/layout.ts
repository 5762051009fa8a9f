import { ROLE_LABELS, isOperator, type Principal } from '../auth/roles';
import { assetUrl } from '../assets/asset-routes';
import { html, Html } from './html';

export interface LayoutOptions {
  title: string;
  principal?: Principal | null;
  csrf?: string;
  /** Which header link is current. */
  section?: 'overview' | 'pupils' | 'worklist' | 'failures' | 'reports' | 'audit';
  /** Breadcrumb above the title. */
  back?: { href: string; label: string };
}

/**
 * The page frame: header with navigation, the person and sign-out; styles and the small script
 * come from the app (no inline code, so the strict CSP holds). Laid out for 1366×768 and for a
 * 390 px phone (tables become cards, the menu wraps).
 */
export function layout(options: LayoutOptions, body: Html): string {
  const p = options.principal;
  const nav = (href: string, label: string, key: LayoutOptions['section']) => html`<a href="${href}"${options.section === key ? new Html(' aria-current="page"') : ''}>${label}</a>`;
  return html`<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} — ejsync</title><link rel="stylesheet" href="${assetUrl('dashboard.css')}"><script src="${assetUrl('dashboard.js')}" defer></script></head><body>
<header class="top"><a class="brand" href="/">ejsync</a><nav>${nav('/', 'Обзор', 'overview')}${nav('/pupils', 'Ученики', 'pupils')}${nav('/worklist', 'Ручные действия', 'worklist')}${nav('/failures', 'Ошибки доставки', 'failures')}${nav('/reports', 'Отчёты', 'reports')}${nav('/audit', 'Журнал действий', 'audit')}${p && isOperator(p) ? html`<a href="/queues/">Очереди</a>` : ''}</nav>
${p ? html`<span class="who"><span class="who-name" title="${p.roles.map((r) => ROLE_LABELS[r]).join(', ')}">${p.displayName}</span> <span class="who-role">${p.roles.map((r) => ROLE_LABELS[r]).join(', ')}</span>${options.csrf ? html`<form class="inline" method="post" action="/auth/logout"><input type="hidden" name="_csrf" value="${options.csrf}"><button class="link" type="submit">Выйти</button></form>` : ''}</span>` : ''}</header>
<main>${options.back ? html`<p class="back"><a href="${options.back.href}">← ${options.back.label}</a></p>` : ''}<h1>${options.title}</h1>${body}</main></body></html>`.value;
}

/** A Russian page for errors and refusals (no stack traces, ever). */
export function messagePage(title: string, text: string | Html, principal?: Principal | null): string {
  return layout({ title, principal }, html`<div class="card"><p>${text}</p><p><a href="/">На главную</a></p></div>`);
}
