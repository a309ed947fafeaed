// Shared steps of `npm start` and `npm test`: dependencies and the editor build.
// Plain Node (no dependencies): this runs before anything is installed.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNPM_VERSION, pnpm } from './pnpm.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export function fail(message) {
  console.error(`\n✖ ${message}`);
  process.exit(1);
}

export function step(title) {
  console.log(`\n▸ ${title}`);
}

export function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19))
    fail(`Node.js 20.19 or newer is needed; this is ${process.version}.`);
}

/** Installs dependencies when node_modules is missing or older than the lockfile. */
export function ensureDependencies() {
  const marker = join(ROOT, 'node_modules', '.modules.yaml');
  const lockfile = join(ROOT, 'pnpm-lock.yaml');
  const fresh =
    existsSync(marker) && statSync(marker).mtimeMs >= statSync(lockfile).mtimeMs && nativeModuleBuilt();
  if (fresh) return;
  step(
    `installing dependencies with pnpm ${PNPM_VERSION} (better-sqlite3 compiles from source: about a minute)`,
  );
  if (pnpm(['install', '--frozen-lockfile'], { cwd: ROOT }) !== 0) fail('pnpm install failed');
}

/** pnpm can "install" a native module whose build script was skipped; check the binary is there. */
function nativeModuleBuilt() {
  const store = join(ROOT, 'node_modules', '.pnpm');
  if (!existsSync(store)) return false;
  const dir = readdirSync(store).find((name) => name.startsWith('better-sqlite3@'));
  return (
    Boolean(dir) &&
    existsSync(join(store, dir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))
  );
}

export function buildEditor() {
  step('building the editor');
  if (pnpm(['--filter', '@switchboard/editor', 'build'], { cwd: ROOT }) !== 0) fail('editor build failed');
}

/** Reads DATA_DIR the way the runtime does, to find a running instance's lock before building. */
export function runningInstance() {
  const dataDir = process.env.DATA_DIR ?? join(ROOT, 'data');
  const lock = join(dataDir, 'runtime.pid');
  if (!existsSync(lock)) return null;
  const pid = Number(readFileSync(lock, 'utf8'));
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return { pid, dataDir };
  } catch {
    return null;
  }
}
