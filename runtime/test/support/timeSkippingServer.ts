import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { access, chmod, constants, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig } from '../../src/config';

/*
 * Temporal's time-skipping test server, for tests that must see a workflow sleep through hours in
 * seconds. The SDK would download a native build from a host we cannot reach; the same server is
 * published as a Java artifact on Maven Central, so we fetch its jars with Maven once per machine
 * and hand the SDK a wrapper script in place of the native binary.
 */

export const TEMPORAL_TEST_SERVER_VERSION = '1.32.1';
const POM = fileURLToPath(new URL('../../../tools/temporal-test-server/pom.xml', import.meta.url));

export function timeSkippingServerDir(cacheDir: string): string {
  return join(cacheDir, `temporal-test-server-${TEMPORAL_TEST_SERVER_VERSION}`);
}

/**
 * Returns the wrapper script that starts the test server, fetching its jars first if this machine
 * lacks them. Several test processes may call it at once: each works under a name of its own and
 * renames into place, so nobody ever runs a half-copied lib/ or a half-written script.
 */
export async function ensureTimeSkippingServer(cacheDir: string): Promise<string> {
  const home = timeSkippingServerDir(cacheDir);
  const lib = join(home, 'lib');
  const wrapper = join(home, 'run.sh');
  const serverJar = join(lib, `temporal-test-server-${TEMPORAL_TEST_SERVER_VERSION}.jar`);
  if ((await exists(wrapper, constants.X_OK)) && (await exists(serverJar))) return wrapper;

  await mkdir(home, { recursive: true });
  if (!(await exists(serverJar))) await fetchJars(lib);
  const script = `${wrapper}.${uniqueSuffix()}`;
  await writeFile(script, wrapperScript(lib));
  // writeFile's mode is filtered by the umask; the SDK needs the script executable.
  await chmod(script, 0o755);
  await rename(script, wrapper);
  return wrapper;
}

/** A time-skipping environment on this machine's cached test server. */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  if (Runtime._instance === undefined) {
    Runtime.install({
      // At INFO the SDK prints every worker state change and the whole workflow bundle listing.
      logger: new DefaultLogger('WARN'),
      // Core warns on every worker start that the Java server lacks a capability only real
      // clusters advertise (heartbeat details on activity failure); nothing here depends on it.
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
    });
  }
  const path = await ensureTimeSkippingServer(loadConfig().SWITCHBOARD_CACHE_DIR);
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path } },
  });
}

async function fetchJars(lib: string): Promise<void> {
  const staging = `${lib}.${uniqueSuffix()}`;
  console.info(
    `fetching Temporal's test server ${TEMPORAL_TEST_SERVER_VERSION} with Maven (once per machine)`,
  );
  try {
    await runMaven([
      '-B',
      '-q',
      '-f',
      POM,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${staging}`,
      // The cache folder is named for this version, so the jars in it must be this version too.
      `-Dtemporal.testserver.version=${TEMPORAL_TEST_SERVER_VERSION}`,
    ]);
    await rename(staging, lib).catch((error: unknown) => {
      // lib/ already full: another process finished first, and its jars are as good as ours.
      if (!isCode(error, 'ENOTEMPTY') && !isCode(error, 'EEXIST')) throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function runMaven(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // Kept, not inherited: with -q it holds only errors (and the colour resets Maven prints anyway).
    const output: Buffer[] = [];
    const child = spawn('mvn', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', (error) =>
      reject(
        new Error(
          `cannot run "mvn" to fetch the Temporal test server (is Maven installed?): ${error.message}`,
        ),
      ),
    );
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(`mvn ${args.join(' ')} exited with ${code}:\n${Buffer.concat(output).toString()}`),
          ),
    );
  });
}

/**
 * The SDK starts the server as `<path> <port> [extraArgs…]` (sdk-core's TestServerConfig), which is
 * exactly what TestServer's main reads. `exec` matters: the SDK stops the server by killing the
 * process it started, which must be the JVM and not a shell left holding it. The SDK also gives up
 * if the port does not answer within 5 s; the serial GC and C1-only JIT start the JVM in under a
 * second instead of two, which keeps a busy 2-core machine inside that limit.
 */
function wrapperScript(lib: string): string {
  return [
    '#!/bin/sh',
    '# Written by runtime/test/support/timeSkippingServer.ts; delete this folder to fetch again.',
    `exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp ${shellQuote(`${lib}/*`)} io.temporal.testserver.TestServer "$@"`,
    '',
  ].join('\n');
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function uniqueSuffix(): string {
  return `${process.pid}-${randomUUID().slice(0, 8)}.tmp`;
}

async function exists(path: string, mode = constants.F_OK): Promise<boolean> {
  try {
    await access(path, mode);
    return true;
  } catch {
    return false;
  }
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
