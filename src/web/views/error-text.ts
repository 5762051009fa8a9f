import { catalogueEntry, isErrorCode } from '../../model';

/** Russian message and hint of an error code (the catalogue's), or a neutral text for unknown codes. */
export function errorText(code: string | null | undefined): { code: string; message: string; hint: string; retryable: boolean } {
  if (code && isErrorCode(code)) {
    const e = catalogueEntry(code);
    return { code, message: e.message, hint: e.hint, retryable: e.retryable ?? false };
  }
  return { code: code ?? 'неизвестно', message: 'Ошибка без кода каталога', hint: 'Откройте журнал доставки этой записи; если ошибка повторяется, сообщите разработчикам ejsync.', retryable: false };
}
