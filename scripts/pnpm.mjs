#!/usr/bin/env node
// Runs the project's pinned pnpm. corepack cannot verify its signing keys on our machines,
// so pnpm comes from the npm registry through npx, at exactly this version.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PNPM_VERSION = '10.34.8';

export function pnpm(args, options = {}) {
  const result = spawnSync('npx', ['--yes', `pnpm@${PNPM_VERSION}`, ...args], {
    stdio: 'inherit',
    ...options,
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit(pnpm(process.argv.slice(2)));
}
