import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

/** The environment, parsed once at start-up. Nothing else reads `process.env`. */
export const configSchema = z.object({
  DATA_DIR: z.string().default('./data'),
  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(3000),
  /** Set to use an existing Temporal cluster; unset, the runtime runs its own dev server. */
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('switchboard-router'),
  /** Ports of the embedded dev server (gRPC and Web UI). */
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  /** Web UI of an external cluster (with TEMPORAL_ADDRESS), for the execution explorer's links. */
  TEMPORAL_UI_URL: z.string().url().optional(),
  /** Where the Temporal CLI is built once per machine and found again. */
  SWITCHBOARD_CACHE_DIR: z.string().default(resolve(homedir(), '.cache', 'switchboard')),
  /**
   * process: the router worker (workflows and their activities) runs in a child process, so webhook
   * intake and routing use a core each; inline: one process, simpler to debug.
   */
  WORKER_MODE: z.enum(['process', 'inline']).default('process'),
  /** Router shards; unset: the count stored in the data directory, or 4 for a new one (routing/shardCount.ts). */
  SHARD_COUNT: z.coerce.number().int().min(1).max(1024).optional(),
  /**
   * The stack trace query of the shard workflows (Temporal UI "Stack Trace"): it needs a stack
   * captured for every promise workflow code creates, which cost about half of the workflow thread.
   */
  WORKFLOW_STACK_TRACES: flag.default(false),
  WHATSAPP_APP_SECRET: z.string().min(1).default('switchboard-demo-app-secret'),
  WHATSAPP_VERIFY_TOKEN: z.string().min(1).default('switchboard-demo-verify-token'),
  WHATSAPP_ACCESS_TOKEN: z.string().default(''),
  WHATSAPP_API_BASE_URL: z.string().url().default('https://graph.facebook.com'),
  WHATSAPP_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/)
    .default('v23.0'),
  /** Cloud API throughput of one business number; Meta's default is 80 messages/s (higher tiers: up to 1,000). */
  WHATSAPP_MESSAGES_PER_SECOND: z.coerce.number().positive().max(1000).default(80),
  /** Sustained spacing of messages to one customer: Meta's pair rate limit is about one per 6 s. */
  WHATSAPP_RECIPIENT_INTERVAL_MS: z.coerce.number().int().min(0).default(6000),
  /** Messages one customer may get back to back before the spacing applies. */
  WHATSAPP_RECIPIENT_BURST: z.coerce.number().int().min(1).default(5),
  /** A send that would wait longer than this for its slot is put off (retried later) instead. */
  WHATSAPP_PACING_MAX_WAIT_MS: z.coerce.number().int().min(0).default(10_000),
  /** Sends again after Meta's rate-limit errors (130429, 131056) at most this many times, with backoff. */
  WHATSAPP_RATE_LIMIT_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  /**
   * The loopback Graph API simulator: auto starts it when WHATSAPP_ACCESS_TOKEN is empty (the demo),
   * so that sends, statuses and media work without a Meta account.
   */
  WHATSAPP_SIMULATOR: z.enum(['auto', 'on', 'off']).default('auto'),
  /** SMTP server for e-mail notifications, e.g. smtp://user:pass@mail.example.com:587; unset: no e-mail. */
  SMTP_URL: z.string().url().optional(),
  SMTP_FROM: z.string().default('Switchboard <switchboard@localhost>'),
  /** Largest webhook body accepted, in bytes (Meta batches up to a few hundred KB). */
  WEBHOOK_BODY_LIMIT: z.coerce.number().int().positive().default(1_048_576),
  /**
   * The customer simulator (the app's /simulator panel and its endpoint), which posts signed inbound
   * messages as any customer. Unset: on in demo mode or while the app secret is the demo one.
   */
  CUSTOMER_SIMULATOR: flag.optional(),
  /** Seed demo agents, teams and a sample workflow into an empty database. */
  DEMO: flag.default(true),
  EDITOR_DIST: z.string().optional(),
  /** First admin of a real installation, created at start-up when no account has this e-mail. */
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(10).optional(),
  /** A bearer token acting as ADMIN_EMAIL, for scripts and tests; stored hashed like any other token. */
  ADMIN_API_TOKEN: z.string().min(24).optional(),
  /** Behind a TLS-terminating proxy: trust X-Forwarded-*, so session cookies are marked Secure. */
  TRUST_PROXY: flag.default(false),
  /** Sign-in attempts allowed per 15 minutes: from one address, and failed ones for one e-mail. */
  LOGIN_ATTEMPTS_PER_ADDRESS: z.coerce.number().int().positive().default(30),
  LOGIN_FAILURES_PER_EMAIL: z.coerce.number().int().positive().default(5),
  /** An online agent with no activity on their pages for this long becomes away. */
  AGENT_IDLE_MINUTES: z.coerce.number().positive().default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Test-only fault injection: the process kills itself (SIGKILL) at a named point, so that the
   * durability tests can crash it exactly between two steps.
   */
  SWITCHBOARD_CRASH_AT: z.enum(['after-signal', 'after-assign-commit']).optional(),
});

export type Config = z.infer<typeof configSchema>;
/** The configuration once the data directory's shard count is settled (see settleShardCount). */
export type ShardedConfig = Config & { SHARD_COUNT: number };

const DEMO_APP_SECRET = configSchema.shape.WHATSAPP_APP_SECRET.parse(undefined);

/** Anyone who can reach the app can pose as any customer through the simulator: never with real credentials unless asked. */
export function customerSimulatorEnabled(config: Config): boolean {
  return config.CUSTOMER_SIMULATOR ?? (config.DEMO || config.WHATSAPP_APP_SECRET === DEMO_APP_SECRET);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid environment:\n  ${problems.join('\n  ')}`);
  }
  return { ...parsed.data, DATA_DIR: resolve(parsed.data.DATA_DIR) };
}

/** The environment that reproduces `config` in another process (the router worker). */
export function configToEnv(config: Config): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value !== undefined) env[key] = String(value);
  }
  return env;
}
