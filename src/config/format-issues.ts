import type { z } from 'zod';

/** `esia.signer.keyFile: укажите путь…` — one line per issue, the field path first. */
export function formatIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const where = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * One line per issue, each naming the file (and, when given, the link) before the field path:
 * `config/links/a.json: связь «a»: schedule.cron: ожидается…`.
 */
export function formatIssueLines(error: z.ZodError, file: string, linkId?: string): string {
  const where = linkId ? `${file}: связь «${linkId}»` : file;
  return error.issues
    .flatMap((issue) => {
      const field = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => `\n  ${where}: ${field ? `${field}.` : ''}${key}: неизвестный ключ (допустимые ключи — в config/README.md)`);
      }
      return [`\n  ${where}: ${field && !issue.message.startsWith(`${field}:`) ? `${field}: ` : ''}${issue.message}`];
    })
    .join('');
}
