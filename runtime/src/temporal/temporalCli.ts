import { spawn } from 'node:child_process';
import { access, constants, mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';

/**
 * v1.5.1 is the newest tag that `go install` can build: later tags carry a `replace` directive
 * in go.mod, which `go install pkg@version` refuses.
 */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';

export function temporalCliPath(cacheDir: string): string {
  return join(cacheDir, `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'temporal');
}

/** Returns the Temporal CLI binary, building it once per machine into the project's cache. */
export async function ensureTemporalCli(cacheDir: string, log?: Pick<Logger, 'info'>): Promise<string> {
  const binary = temporalCliPath(cacheDir);
  if (await isExecutable(binary)) return binary;
  const binDir = join(cacheDir, `temporal-cli-${TEMPORAL_CLI_VERSION}`);
  await mkdir(binDir, { recursive: true });
  // Several processes may need the CLI at once (test projects start in parallel): one builds, the
  // others wait for its binary. A lock older than the slowest build is taken to be abandoned.
  const lock = join(binDir, 'build.lock');
  while (!(await tryLock(lock))) {
    if (await isExecutable(binary)) return binary;
    const age =
      Date.now() -
      (await stat(lock)
        .then((s) => s.mtimeMs)
        .catch(() => Date.now()));
    if (age > 20 * 60_000) await rm(lock, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  try {
    if (await isExecutable(binary)) return binary;
    await buildCli(binDir, log);
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
  if (!(await isExecutable(binary))) throw new Error(`go install finished but ${binary} is missing`);
  return binary;
}

async function tryLock(lock: string): Promise<boolean> {
  try {
    await mkdir(lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function buildCli(binDir: string, log?: Pick<Logger, 'info'>): Promise<void> {
  log?.info(
    `building the Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (once per machine, ~3 minutes)`,
  );
  await new Promise<void>((resolve, reject) => {
    const child = spawn('go', ['install', `${MODULE}@${TEMPORAL_CLI_VERSION}`], {
      env: { ...process.env, GOBIN: binDir },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', (error) =>
      reject(new Error(`cannot run "go" to build the Temporal CLI (is Go installed?): ${error.message}`)),
    );
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`go install ${MODULE}@${TEMPORAL_CLI_VERSION} exited with ${code}`)),
    );
  });
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
