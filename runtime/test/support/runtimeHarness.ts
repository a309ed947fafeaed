import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import nodeFlags from '../../nodeFlags.json';
import { type Switchboard, startSwitchboard } from '../../src/app';
import { loadConfig } from '../../src/config';
import { DEMO_BUSINESS_NUMBER_ID } from '../../src/demo/seedDemo';
import { appUrlInBanner } from '../../src/startupBanner';
import { inboundTextWebhook } from '../../src/whatsapp/inboundPayloads';
import { signWebhookBody } from '../../src/whatsapp/signature';

export const TEST_APP_SECRET = 'test-app-secret';
/**
 * Every runtime under test has an admin with this e-mail and password, and a bearer token acting as
 * them (`env.ADMIN_API_TOKEN`): `app.api(path, init)` carries it, so tests that are not about access
 * control call the API as an admin without signing in. Demo people sign in with DEMO_PASSWORD.
 */
export const TEST_ADMIN_EMAIL = 'admin@test.switchboard';
export const TEST_ADMIN_PASSWORD = 'test-admin-password';
const RUNTIME_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Environment for a runtime under test: its own data dir and task queue, the shared dev server. */
export async function testEnvironment(temporalAddress: string): Promise<Record<string, string>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-test-'));
  return {
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: `test-${randomUUID().slice(0, 8)}`,
    WHATSAPP_APP_SECRET: TEST_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'test-verify-token',
    DEMO: 'true',
    LOG_LEVEL: 'warn',
    ADMIN_EMAIL: TEST_ADMIN_EMAIL,
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    ADMIN_API_TOKEN: `sbt_test_${randomUUID()}`,
  };
}

/** `fetch` against a runtime as its test admin (bearer token); JSON bodies get their content type. */
export function adminFetch(
  baseUrl: string,
  env: Record<string, string>,
): (path: string, init?: RequestInit) => Promise<Response> {
  return (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${env.ADMIN_API_TOKEN}`);
    if (typeof init.body === 'string' && !headers.has('content-type'))
      headers.set('content-type', 'application/json');
    return fetch(new URL(path, baseUrl), { ...init, headers });
  };
}

/** Headers for a `ws` socket (or anything else) that should act as the test admin. */
export function adminHeaders(env: Record<string, string>): Record<string, string> {
  return { authorization: `Bearer ${env.ADMIN_API_TOKEN}` };
}

/** A signed-in browser-like session: cookie plus the CSRF header on mutations, as the editor sends them. */
export async function signIn(
  baseUrl: string,
  email: string,
  password: string,
): Promise<{
  cookie: string;
  csrfToken: string;
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
}> {
  const response = await fetch(new URL('/api/auth/login', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200)
    throw new Error(`sign-in as ${email} failed: ${response.status} ${await response.text()}`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  return {
    cookie,
    csrfToken,
    fetch: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('cookie', cookie);
      headers.set('x-csrf-token', csrfToken);
      if (typeof init.body === 'string' && !headers.has('content-type'))
        headers.set('content-type', 'application/json');
      return fetch(new URL(path, baseUrl), { ...init, headers });
    },
  };
}

/** A runtime in this process, for tests that inspect its database and client directly. */
export async function startTestRuntime(
  temporalAddress: string,
  overrides: Record<string, string> = {},
): Promise<
  Switchboard & {
    env: Record<string, string>;
    /** `fetch` as the test admin: `app.api('/api/…', { method: 'POST', body: JSON.stringify(…) })`. */
    api: (path: string, init?: RequestInit) => Promise<Response>;
    cleanup(): Promise<void>;
  }
> {
  const env = { ...(await testEnvironment(temporalAddress)), ...overrides };
  const app = await startSwitchboard(loadConfig(env), pino({ level: 'warn' }));
  return {
    ...app,
    env,
    api: adminFetch(app.url, env),
    cleanup: async () => {
      await app.stop();
      await rm(env.DATA_DIR as string, { recursive: true, force: true });
    },
  };
}

/** A runtime in a child process (`tsx src/main.ts`), for tests that kill it with SIGKILL. */
export class RuntimeProcess {
  private child: ChildProcess | null = null;
  private output = '';
  url = '';

  constructor(readonly env: Record<string, string>) {}

  /** `fetch` as the test admin, like `startTestRuntime(…).api`. */
  api(path: string, init?: RequestInit): Promise<Response> {
    return adminFetch(this.url, this.env)(path, init);
  }

  async start(extraEnv: Record<string, string> = {}): Promise<void> {
    this.output = '';
    const child = spawn(process.execPath, [...nodeFlags.runtime, '--import', 'tsx', 'src/main.ts'], {
      cwd: RUNTIME_DIR,
      env: { ...process.env, ...this.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk) => {
      this.output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      this.output += chunk;
    });
    const deadline = Date.now() + 90_000;
    let url = appUrlInBanner(this.output);
    while (!url) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`runtime exited during start-up:\n${this.output}`);
      }
      if (Date.now() > deadline) throw new Error(`runtime did not start:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      url = appUrlInBanner(this.output);
    }
    this.url = url;
  }

  /** Resolves when the process has exited, however it ended. */
  async exited(timeoutMs = 60_000): Promise<NodeJS.Signals | number | null> {
    const child = this.child;
    if (!child) return null;
    if (child.exitCode !== null || child.signalCode !== null) return child.signalCode ?? child.exitCode;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`runtime still running:\n${this.output}`)), timeoutMs);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve(signal ?? code);
      });
    });
  }

  /** SIGKILL, as a crash or the OOM killer would. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited();
  }

  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    await this.exited();
  }

  get log(): string {
    return this.output;
  }
}

let messageCounter = 0;

/** Posts a signed inbound text as Meta would; returns the reply and the message id used. */
export async function postInboundText(
  baseUrl: string,
  options: { from: string; text: string; profileName?: string; messageId?: string; secret?: string },
): Promise<{ status: number; body: unknown; messageId: string; rawBody: string }> {
  const messageId = options.messageId ?? `wamid.TEST${Date.now()}${++messageCounter}`;
  const payload = inboundTextWebhook({
    phoneNumberId: DEMO_BUSINESS_NUMBER_ID,
    from: options.from,
    text: options.text,
    messageId,
    timestamp: Math.floor(Date.now() / 1000),
    ...(options.profileName === undefined ? {} : { profileName: options.profileName }),
  });
  const rawBody = JSON.stringify(payload);
  const response = await fetch(`${baseUrl}/webhooks/whatsapp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signWebhookBody(rawBody, options.secret ?? TEST_APP_SECRET),
    },
    body: rawBody,
  });
  return { status: response.status, body: await response.json(), messageId, rawBody };
}

/** Polls until `probe` returns a value other than undefined. */
export async function eventually<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
