import { z } from 'zod';

/** The `alerts` section: where alerts go and when. Secrets are named by environment variable. */
export const alertsConfigSchema = z.object({
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
});
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
