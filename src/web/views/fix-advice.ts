import { isOperator, type Principal } from '../auth/roles';
import { errorText } from './error-text';

/** Who can remove the cause of a failure. */
export type Fixer = 'school' | 'mis' | 'operator' | 'nobody';

export const FIXER_LABELS: Record<Fixer, string> = {
  school: 'администратор ЭЖ школы — в Дневник.ру',
  mis: 'школа — в МИС (следующая выгрузка)',
  operator: 'региональный оператор ejsync',
  nobody: 'никто: ejsync повторит сам',
};

interface Advice {
  fixer: Fixer;
  /** For a school's administrator or viewer: in the words of the journal, no files or commands. */
  school: string;
}

/**
 * What a school's e-journal administrator does about each delivery failure. The catalogue's hint
 * speaks to whoever runs ejsync (files, commands); the school reads this instead, and the
 * operator reads both.
 */
const ADVICE: Record<string, Advice> = {
  'dnevnik.parameter_invalid': {
    fixer: 'school',
    school:
      'Дневник.ру не принял запись: чаще всего ученик не зачислен в класс или группу на платформе, или урок не в расписании журнала. Откройте связанное ручное действие или страницу ученика, выполните его в Дневник.ру и нажмите «Повторить». Если ученик зачислен, проверьте запись в МИС.',
  },
  'dnevnik.not_found': { fixer: 'school', school: 'Запись удалили в Дневник.ру вручную. Ничего исправлять не нужно: следующая синхронизация прочитает журнал заново и создаст запись снова. Можно нажать «Повторить».' },
  'dnevnik.forbidden': { fixer: 'school', school: 'У учётной записи, под которой школа подключена к Дневник.ру, нет прав на эту запись. Подключите школу под учётной записью администратора журнала (обратитесь к региональному оператору).' },
  'dnevnik.reconnect_needed': { fixer: 'operator', school: 'Доступ ejsync к Дневник.ру школы истёк или отозван. Синхронизация школы остановлена, пока администратор школы не подключит её заново: обратитесь к региональному оператору.' },
  'dnevnik.token_missing': { fixer: 'operator', school: 'Школа ещё не подключена к Дневник.ру. Обратитесь к региональному оператору, чтобы подключить её под вашей учётной записью.' },
  'dnevnik.out_of_scope': { fixer: 'operator', school: 'При подключении школы не было разрешено чтение учебной информации. Подключите школу заново и разрешите доступ (обратитесь к региональному оператору).' },
  'dnevnik.rate_limited': { fixer: 'nobody', school: 'Дневник.ру просил подождать. Ничего делать не нужно: ejsync повторяет сам; если записи так и остались недоставленными, нажмите «Повторить» позже.' },
  'dnevnik.server_error': { fixer: 'nobody', school: 'Сбой на стороне Дневник.ру. Ничего делать не нужно: доставка повторится; если ошибка держится часами, нажмите «Повторить» позже.' },
  'dnevnik.maintenance': { fixer: 'nobody', school: 'Дневник.ру на обслуживании. Доставка повторится, когда платформа заработает.' },
  'dnevnik.timeout': { fixer: 'nobody', school: 'Дневник.ру не ответил вовремя. Доставка повторится; дублей не будет.' },
  'dnevnik.connection_failed': { fixer: 'operator', school: 'Сервер ejsync не смог связаться с Дневник.ру. Сообщите региональному оператору; доставка повторится.' },
  'dnevnik.lesson_missing': { fixer: 'school', school: 'В журнале Дневник.ру нет урока на эту дату: отметки и работы ставятся только на уроки. Сформируйте расписание в журнале на эту дату и нажмите «Повторить».' },
  'dnevnik.mark_not_in_system': { fixer: 'mis', school: 'Отметка не по системе оценок школы в Дневник.ру. Исправьте отметку в МИС (или попросите оператора задать перевод шкал) — она будет выставлена при следующем запуске.' },
  'dnevnik.value_unmapped': { fixer: 'operator', school: 'Для этого значения нет соответствия в Дневник.ру (вид работы, отметка или посещаемость). Сообщите региональному оператору код и значение.' },
  'dnevnik.unexpected_response': { fixer: 'operator', school: 'Дневник.ру ответил непредусмотренно. Сообщите региональному оператору номер запуска.' },
  'dnevnik.unexpected_shape': { fixer: 'operator', school: 'Дневник.ру ответил в неожиданном виде; ничего не записано. Сообщите региональному оператору номер запуска.' },
  'dnevnik.method_not_supported': { fixer: 'operator', school: 'Дневник.ру не поддерживает эту операцию. Сообщите региональному оператору; запись внесите вручную.' },
  'dnevnik.https_required': { fixer: 'operator', school: 'Неверно настроен адрес Дневник.ру. Сообщите региональному оператору.' },
  'delivery.failed': { fixer: 'school', school: 'Откройте запуск: у каждой недоставленной записи указано, что делать. После исправления нажмите «Повторить».' },
  'rollback.not_verified': { fixer: 'school', school: 'Откат этой записи не подтвердился при проверке в Дневник.ру. Проверьте запись в журнале и при необходимости исправьте её вручную.' },
  // СЭДиЖ / ЭПОС: the platform's receipt says why; the school fixes data, the operator the exchange.
  'sedizh.record_rejected': { fixer: 'mis', school: 'Платформа отклонила запись (причина — в ответе платформы в строке записи). Исправьте запись в МИС: она будет отправлена при следующей синхронизации.' },
  'sedizh.reference_unknown': { fixer: 'school', school: 'Запись ссылается на ученика, класс или урок, которых платформа ещё не знает. Сначала устраните ошибки этих записей (или выполните ручные действия о них), затем нажмите «Повторить».' },
  'sedizh.value_invalid': { fixer: 'mis', school: 'Платформа не приняла значение поля. Проверьте значение в МИС; если оно верно, сообщите региональному оператору код ошибки и номер запуска.' },
  'sedizh.not_found': { fixer: 'nobody', school: 'Запись удалили на платформе вручную. Ничего исправлять не нужно: следующая синхронизация прочитает журнал заново.' },
  'sedizh.period_closed': { fixer: 'school', school: 'Период на платформе закрыт. Изменение вносит администратор платформы вручную или после открытия периода по приказу.' },
  'sedizh.package_rejected': { fixer: 'operator', school: 'Платформа отклонила пакет обмена целиком. Сообщите региональному оператору номер запуска: причина — в квитанции платформы.' },
  'sedizh.value_unmapped': { fixer: 'operator', school: 'Для этого значения (отметки, вида работы или посещаемости) не задано соответствие платформе. Сообщите региональному оператору код ошибки и значение.' },
  'sedizh.entity_unmapped': { fixer: 'operator', school: 'Обмен с платформой не настроен для этого вида записей. Сообщите региональному оператору; пока запись вносится вручную.' },
  'sedizh.http_error': { fixer: 'operator', school: 'Платформа отказала в запросе обмена. Сообщите региональному оператору номер запуска.' },
  'sedizh.unreachable': { fixer: 'nobody', school: 'Платформа недоступна. Доставка повторится сама; если ошибка держится часами, сообщите региональному оператору.' },
  'sedizh.exchange_dir_unavailable': { fixer: 'operator', school: 'Каталог обмена с платформой недоступен. Сообщите региональному оператору; доставка повторится после исправления.' },
};

/**
 * What a school's staff read instead of a catalogue hint written for whoever runs ejsync (config
 * files, commands, variables): reasons a run is held, findings of the plan, refusals.
 */
const SCHOOL_HINTS: Record<string, string> = {
  'guard.source_errors': 'Исправьте ошибки выгрузки в МИС (список замечаний ниже) — следующая синхронизация передаст данные. Если верное нужно передать сейчас, одобрите запуск: ошибочные записи останутся непереданными.',
  'guard.blackout': 'Для школы задан период, когда синхронизация не выполняется или ждёт решения. Дождитесь его окончания или одобрите запуск; изменить период может региональный оператор.',
  'period.unknown': 'Такого отчётного периода у школы нет. Выберите период из списка периодов школы или обратитесь к региональному оператору.',
  'run.rollover_needs_approval': 'Перевод классов на новый учебный год всегда ждёт просмотра: проверьте, какие классы переводятся и выпускаются, какие периоды и каникулы создаются, и нажмите «Одобрить». Уже применённый перевод можно отменить откатом.',
  'run.link_busy': 'Сейчас по этой школе уже выполняется другой запуск. Дождитесь его окончания (страница запуска обновится сама) и повторите действие.',
  'run.stalled': 'Запуск остановился из-за сбоя на сервере ejsync. Сообщите региональному оператору номер запуска; уже доставленное повторно не отправляется.',
  'oneroster.school_missing': 'В выгрузке МИС не указана школа. Выгрузите из МИС полный пакет школы или обратитесь к региональному оператору.',
  'oneroster.ambiguous_school': 'В выгрузке МИС несколько школ. Выгрузите пакет только своей школы или обратитесь к региональному оператору.',
  'dnevnik.mark_system_unknown': 'Пока ejsync не знает систему оценок школы в Дневник.ру, отметки не отправляются. Проверьте, что в профиле школы в Дневник.ру выбрана система оценок, и сообщите региональному оператору текст замечания.',
  'delivery.source_unreadable': 'Выгрузку МИС не удалось прочитать. Выгрузите данные из МИС заново; если ошибка повторяется, сообщите региональному оператору номер запуска.',
  'delivery.directory_not_refreshed': 'Синхронизация продолжена, но вход через ЕСИА пока сопоставляет людей по прежним данным. Сообщите региональному оператору номер запуска.',
  'rollback.already_rolled_back': 'Запуск откатывают один раз. Если откат прошёл не полностью, откройте запуск-откат и нажмите «Повторить недоставленные».',
  'worklist.action_unknown': 'Таких ручных действий нет (или они уже убраны). Обновите страницу «Ручные действия».',
  'reconcile.outside_window': 'Сверяются только записи последних недель (срок задаёт региональный оператор). Если нужно перенести более ранние отметки и уроки — например, при переходе посреди года, — попросите оператора увеличить срок сверки для школы.',
  'reconcile.not_deliverable': 'Платформа не позволяет ejsync читать и записывать эти данные. Ведите их в интерфейсе платформы.',
  'reconcile.ambiguous_match': 'На платформе несколько подходящих записей. Если это ученик — откройте его страницу и свяжите с нужной записью платформы вручную (с основанием); сотрудника или представителя связывает региональный оператор. Можно и уточнить СНИЛС в МИС.',
};

/** A hint that speaks of files, commands, variables or configuration keys (`windowDays`): for whoever runs ejsync, not for a school. */
export const FOR_DEVELOPERS = /config\/|docs\/|\.json\b|\bejsync [a-z]|EJSYNC_|\b[A-Z]+_[A-Z_]+\b|`|--[a-z]|\b[a-z]+[A-Z][A-Za-z]*\b/;

/**
 * A hint in words for this reader: the operator reads the catalogue's (or the finding's own);
 * the school's staff read the school's words — and never a file, a command or a variable.
 */
export function readerHint(p: Principal | null | undefined, code: string | null | undefined, hint: string | undefined): string {
  const own = hint ?? errorText(code).hint;
  if (p && isOperator(p)) return own;
  const key = code ?? '';
  const school = ADVICE[key]?.school ?? SCHOOL_HINTS[key];
  if (school) return school;
  if (!FOR_DEVELOPERS.test(own)) return own;
  // Keep what the school can do («Исправьте значение в МИС…»), drop the clauses about files and settings.
  // Whole sentences that are clean stay; of one that is not, the clauses before the first unclean one.
  const kept = own
    .split(/(?<=\.)\s+(?=[А-ЯЁA-Z«])/)
    .map((sentence) => {
      if (!FOR_DEVELOPERS.test(sentence)) return sentence;
      const clauses = sentence.split(/;\s+/);
      const lead = clauses.slice(0, clauses.findIndex((c) => FOR_DEVELOPERS.test(c)));
      return lead.length ? `${lead.join('; ').replace(/[.:,]$/, '')}.` : '';
    })
    .filter(Boolean)
    .join(' ');
  const operator = `Если не получается — сообщите региональному оператору ejsync код ${code ?? 'ошибки'} и номер запуска.`;
  return kept ? `${kept} ${operator}` : `Это исправляет региональный оператор ejsync: сообщите ему код ${code ?? 'ошибки'} и номер запуска.`;
}

/** A failure's code, message, who can fix it and what to do — in words for this reader. */
export function fixAdvice(p: Principal, code: string | null | undefined) {
  const base = errorText(code);
  const advice = ADVICE[base.code];
  const fixer: Fixer = advice?.fixer ?? (base.retryable ? 'nobody' : 'operator');
  const forSchool = advice?.school ?? (base.retryable ? 'Ошибка временная: доставка повторится сама; если записи остались недоставленными, нажмите «Повторить» позже.' : `Сообщите региональному оператору код ошибки ${base.code} и номер запуска.`);
  // The operator runs ejsync: the catalogue's hint (files, commands) is for them; the school reads its own words.
  const hint = isOperator(p) ? base.hint : forSchool;
  return { ...base, hint, fixer, fixerLabel: FIXER_LABELS[fixer], operatorHint: base.hint, schoolHint: forSchool };
}
