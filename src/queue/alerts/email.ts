import nodemailer, { type Transporter } from 'nodemailer';
import type { AlertMessage } from './alert-types';

export interface SmtpOptions {
  /** `smtp://user:pass@host:587` or `smtps://…` (from the environment). */
  url: string;
  from: string;
  to: string[];
}

/** Sends one alert as a plain-text Russian e-mail; throws on failure (the queue retries). */
export async function sendEmail(alert: AlertMessage, options: SmtpOptions, transport?: Transporter): Promise<string> {
  const t = transport ?? nodemailer.createTransport(options.url);
  const info = await t.sendMail({
    from: options.from,
    to: options.to.join(', '),
    subject: `[ejsync] ${alert.subject}`,
    text: `${alert.text}${alert.url ? `\n\nПодробности: ${alert.url}` : ''}\n\n— ejsync`,
    headers: { 'X-Ejsync-Alert-Id': alert.id },
  });
  return String(info.messageId ?? '');
}
