import { z } from 'zod';
import { timeZoneSchema } from '../model';

/** Cron fields: 5 (minute first) or 6 (seconds first), as BullMQ's job schedulers read them. */
const CRON = /^\s*(\S+\s+){4,5}\S+\s*$/;
const CRON_FIELD = /^[0-9A-Za-z*/,?#LW-]+$/;

/**
 * `alerts.digest`: one Russian summary of every link (last run, failures, held runs, failures in a
 * row) sent over the configured channels at a local time, at most once per local day.
 */
export const digestConfigSchema = z.object({
  /** When, in `timeZone`: `0 8 * * *` is 08:00 every day (a sixth, leading field counts seconds). */
  cron: z
    .string({ error: 'alerts.digest.cron: укажите расписание, например «0 8 * * *» (каждый день в 08:00)' })
    .refine((c) => CRON.test(c) && c.trim().split(/\s+/).every((f) => CRON_FIELD.test(f)), {
      message: 'alerts.digest.cron: ожидается расписание cron из 5 полей (минута час день месяц день_недели), например «0 8 * * *»',
    }),
  /** IANA zone the time is read in (Perm: `Asia/Yekaterinburg`). */
  timeZone: timeZoneSchema,
  /** Recipients of the digest e-mail. @defaultValue `alerts.email.to` */
  to: z.array(z.email('alerts.digest.to: неверный адрес')).min(1, 'alerts.digest.to: укажите хотя бы одного получателя').optional(),
});
export type DigestConfig = z.infer<typeof digestConfigSchema>;

/** The `alerts` section: where alerts go and when. Secrets are named by environment variable. */
export const alertsConfigSchema = z
  .object({
    webhook: z
      .object({
        url: z.url('alerts.webhook.url должен быть адресом'),
        /** Environment variable with the HMAC secret. @defaultValue `EJSYNC_WEBHOOK_SECRET` */
        secretEnv: z.string().default('EJSYNC_WEBHOOK_SECRET'),
      })
      .optional(),
    email: z
      .object({
        /** Environment variable with the SMTP URL (`smtps://user:pass@host:465`). @defaultValue `EJSYNC_SMTP_URL` */
        urlEnv: z.string().default('EJSYNC_SMTP_URL'),
        from: z.email('alerts.email.from: неверный адрес'),
        to: z.array(z.email('alerts.email.to: неверный адрес')).min(1, 'alerts.email.to: укажите хотя бы одного получателя'),
      })
      .optional(),
    /** Alert after this many failed runs of a link in a row. @defaultValue 3 */
    consecutiveFailures: z.number().int().min(2).max(30).default(3),
    /** Base URL of the dashboard for links in alerts. */
    dashboardUrl: z.url().optional(),
    /** A daily summary of all links for the operators. Absent: no digest. */
    digest: digestConfigSchema.optional(),
  })
  .superRefine((a, ctx) => {
    if (!a.digest) return;
    if (!a.webhook && !a.email) ctx.addIssue({ code: 'custom', path: ['digest'], message: 'alerts.digest: сводку некуда отправить — добавьте alerts.webhook или alerts.email' });
    if (a.digest.to && !a.email) ctx.addIssue({ code: 'custom', path: ['digest', 'to'], message: 'alerts.digest.to: для отправки сводки по почте нужен раздел alerts.email (сервер и отправитель)' });
  });
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
