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
};

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
