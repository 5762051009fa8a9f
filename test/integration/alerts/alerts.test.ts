import http from 'node:http';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { sendEmail } from '../../../src/queue/alerts/email';
import { sendWebhook, signWebhook, verifyWebhook } from '../../../src/queue/alerts/webhook';
import type { AlertMessage } from '../../../src/queue/alerts/alert-types';

const alert: AlertMessage = {
  id: 'alert-1',
  kind: 'run_failed',
  linkId: 'link-1',
  runId: 'run-7',
  subject: 'Запуск синхронизации завершился ошибкой',
  text: 'Школа school-1: запуск run-7 завершился ошибкой, не доставлено 3 изменения.',
  url: 'https://ejsync.example/runs/run-7',
  at: '2026-09-02T02:10:00+05:00',
};

describe('alerts', () => {
  it('a webhook arrives with a signature the receiver can verify', async () => {
    const received: { body: string; signature: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ body, signature: String(req.headers['x-ejsync-signature']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      expect(await sendWebhook(alert, { url: `http://127.0.0.1:${port}/hook`, secret: 's3cret' })).toBe(204);
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0].body)).toMatchObject({ id: 'alert-1', runId: 'run-7' });
      expect(verifyWebhook(received[0].body, received[0].signature, 's3cret', new Date())).toBe(true);
      expect(verifyWebhook(received[0].body.replace('run-7', 'run-8'), received[0].signature, 's3cret', new Date())).toBe(false);
      expect(verifyWebhook(received[0].body, received[0].signature, 'other', new Date())).toBe(false);
    } finally {
      server.close();
    }
  });

  it('an old signature is refused (no replay)', () => {
    const at = new Date('2026-09-02T00:00:00Z');
    const header = signWebhook('{}', 'k', at);
    expect(verifyWebhook('{}', header, 'k', new Date(at.getTime() + 60_000))).toBe(true);
    expect(verifyWebhook('{}', header, 'k', new Date(at.getTime() + 3_600_000))).toBe(false);
  });

  it('a failing receiver makes the send throw (so the queue retries)', async () => {
    const server = http.createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      await expect(sendWebhook(alert, { url: `http://127.0.0.1:${port}/`, secret: 'x' })).rejects.toThrow(/503/);
    } finally {
      server.close();
    }
  });

  it('an e-mail is plain Russian text with a link to the dashboard', async () => {
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    const sent: Buffer[] = [];
    const original = transport.sendMail.bind(transport);
    transport.sendMail = (async (mail: SendMailOptions) => {
      const info = await original(mail);
      sent.push((info as unknown as { message: Buffer }).message);
      return info;
    }) as typeof transport.sendMail;
    await sendEmail(alert, { url: 'smtp://unused', from: 'ejsync@example.ru', to: ['operator@example.ru'] }, transport);
    const raw = sent[0].toString('utf8');
    expect(raw).toContain('To: operator@example.ru');
    expect(raw).toMatch(/Subject: =\?UTF-8\?/);
    expect(raw).toMatch(/X-Ejsync-Alert-ID: alert-1/i);
    const body = Buffer.from(raw.split(/\n\n/).slice(1).join('').replace(/\s+/g, ''), 'base64').toString('utf8');
    expect(body).toContain('запуск run-7 завершился ошибкой');
    expect(body).toContain('Подробности: https://ejsync.example/runs/run-7');
  });
});
