import type { Actor, LinkRecord } from '../../store';
import type { DashboardBackend } from '../dashboard-backend';
import type { ActionOutcome } from './run-actions';

export const LINK_ACTION_NAMES = ['pause', 'resume', 'run'] as const;
export type LinkActionName = (typeof LINK_ACTION_NAMES)[number];

/** Why a link action cannot be done now (Russian), or null. */
export type LinkActionRefusal = string | null;

export interface LinkActionSpec {
  label: string;
  question(link: LinkRecord): string;
  consequence: string;
  danger?: boolean;
  refusal(backend: DashboardBackend, link: LinkRecord): Promise<LinkActionRefusal>;
  perform(backend: DashboardBackend, link: LinkRecord, actor: Actor): Promise<ActionOutcome | { linkId: string; message: string; result: unknown }>;
}

async function setPaused(backend: DashboardBackend, link: LinkRecord, actor: Actor, paused: boolean) {
  await backend.store.links.setPaused(link.id, paused);
  await backend.store.audit.append({ ...actor, action: paused ? 'link.pause' : 'link.resume', objectType: 'link', objectId: link.id, schoolId: link.schoolId, details: { before: { paused: link.paused }, after: { paused } } });
  // The nightly scheduler follows the link: a paused link has none.
  await backend.syncSchedules().catch(() => undefined);
  return { linkId: link.id, message: paused ? 'Связь приостановлена: ночные запуски не выполняются.' : 'Связь возобновлена: ночные запуски снова по расписанию.', result: { id: link.id, paused } };
}

export const LINK_ACTIONS: Record<LinkActionName, LinkActionSpec> = {
  pause: {
    label: 'Приостановить',
    question: (link) => `Приостановить связь «${link.name}»?`,
    consequence: 'Ночные запуски по расписанию выполняться не будут, пока связь не возобновят. Уже идущий запуск доработает до конца.',
    danger: true,
    refusal: async (_b, link) => (link.paused ? 'Связь уже приостановлена.' : null),
    perform: (backend, link, actor) => setPaused(backend, link, actor, true),
  },
  resume: {
    label: 'Возобновить',
    question: (link) => `Возобновить связь «${link.name}»?`,
    consequence: 'Ночные запуски снова пойдут по расписанию связи.',
    refusal: async (_b, link) => (link.paused ? null : 'Связь не приостановлена.'),
    perform: (backend, link, actor) => setPaused(backend, link, actor, false),
  },
  run: {
    label: 'Запустить сейчас',
    question: (link) => `Запустить синхронизацию «${link.name}» сейчас?`,
    consequence: 'Будет прочитана выгрузка МИС и данные платформы, построен план и, если пороги не превышены, изменения будут отправлены на платформу.',
    async refusal(backend, link) {
      if (link.paused) return 'Связь приостановлена: сначала возобновите её.';
      if (await backend.hasActiveRun(link.id)) return 'Запуск этой связи уже выполняется: дождитесь его окончания.';
      return null;
    },
    async perform(backend, link, actor) {
      const run = await backend.runNow(link.id, actor);
      await backend.store.audit.append({ ...actor, action: 'link.run_now', objectType: 'link', objectId: link.id, schoolId: link.schoolId, details: { runId: run.id, before: { status: null }, after: { status: run.status } } });
      return { runId: run.id, message: 'Запуск начат.', result: { run } };
    },
  },
};

export function isLinkActionName(name: string): name is LinkActionName {
  return (LINK_ACTION_NAMES as readonly string[]).includes(name);
}
