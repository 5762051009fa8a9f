import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { readEnvironment } from '../../src/config/environment';
import { startDemoServer, type DemoServer } from '../../src/cli/serve-demo';
import { dropSchema } from '../../src/store';
import { DATABASE_URL } from './database';
import { REDIS_URL, redisTestContext } from './redis';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(__dirname, '../../test-artifacts/screenshots');
export const VIEWPORT = { width: 1366, height: 768 };

/**
 * The demo server (`ejsync serve --demo`) on real PostgreSQL (a schema of its own) and real Redis
 * (a prefix of its own), with the ЕСИА and Дневник.ру emulators, and a headless Chromium.
 * Missing Redis, PostgreSQL or Chromium fails the test.
 */
export async function startE2eStand(options: { pupils?: number } = {}) {
  const schema = `e2e_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const redis = await redisTestContext();
  const env = { ...readEnvironment(), databaseUrl: DATABASE_URL, databaseSchema: schema, redisUrl: REDIS_URL, queuePrefix: redis.prefix };
  let demo: DemoServer;
  try {
    demo = await startDemoServer({ env, prefix: redis.prefix, pupils: options.pupils ?? 30, logger: { warn: () => undefined } });
  } catch (error) {
    await redis.cleanup();
    await dropSchema(DATABASE_URL, schema);
    throw error;
  }
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--lang=ru-RU'] });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const cspViolations: string[] = [];
  return {
    demo,
    browser,
    cspViolations,
    /** A fresh browser (own cookies) signed in through the ЕСИА emulator as `oid`. */
    async signIn(oid: string): Promise<{ context: BrowserContext; page: Page }> {
      const context = await browser.newContext({ viewport: VIEWPORT, locale: 'ru-RU' });
      const page = await context.newPage();
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      });
      await page.goto(demo.url + '/');
      // The emulator's login page lists its test accounts.
      await page.click(`button[data-oid="${oid}"]`);
      await page.waitForURL(`${demo.url}/`);
      return { context, page };
    },
    async screenshot(page: Page, name: string): Promise<string> {
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await demo.close();
      await redis.cleanup();
      await dropSchema(DATABASE_URL, schema);
    },
  };
}
