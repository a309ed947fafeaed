import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config';
import { type DevServer, startDevServer } from '../src/temporal/devServer';
import { ensureTemporalCli } from '../src/temporal/temporalCli';
import { freePort } from './support/freePort';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}

let server: DevServer | undefined;
let dataDir: string | undefined;

/** One real Temporal dev server (the same CLI build the product uses) for a whole test project. */
export async function setup(project: TestProject): Promise<void> {
  const config = loadConfig({});
  const cliPath = await ensureTemporalCli(config.SWITCHBOARD_CACHE_DIR, console);
  dataDir = await mkdtemp(join(tmpdir(), 'switchboard-temporal-'));
  server = await startDevServer({
    cliPath,
    dataDir,
    port: await freePort(),
    uiPort: await freePort(),
    namespace: 'default',
    log: console,
  });
  project.provide('temporalAddress', server.address);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
