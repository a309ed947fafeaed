import { spawn } from 'node:child_process';
import { access, constants, mkdir } from 'node:fs/promises';
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
  if (!(await isExecutable(binary))) throw new Error(`go install finished but ${binary} is missing`);
  return binary;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
