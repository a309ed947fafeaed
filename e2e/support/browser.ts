import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

export const ARTIFACTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');

/** Debian's Chromium, headless; the flags keep it off the network this machine does not have. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** Kept as a test artifact (e2e/artifacts/), for a human to look at after a run. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The demo password of every demo person (runtime/src/access/bootstrapAccess.ts). */
export const DEMO_PASSWORD = 'switchboard-demo';

/**
 * A page in a fresh browser context (its own cookie jar) already signed in as the demo person `email`:
 * the sign-in goes through the API, so the session cookie is the runtime's real one. Tests that are not
 * about signing in reach this through their testbed instead of `browser.newPage()`.
 */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  email: string,
  contextOptions: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext({ ...contextOptions, baseURL: baseUrl });
  const reply = await context.request.post('/api/auth/login', { data: { email, password: DEMO_PASSWORD } });
  if (!reply.ok()) throw new Error(`sign-in as ${email} failed: ${reply.status()} ${await reply.text()}`);
  return context.newPage();
}
