#!/usr/bin/env node
// `npm test`: install what is missing (dependencies, Debian's Chromium), then lint, type-check,
// build the editor and run every test: unit, integration on a real Temporal dev server, and the
// browser tests. The Temporal CLI is built on first use by the tests' global setup.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { buildEditor, checkNode, ensureDependencies, fail, ROOT, step } from './setup.mjs';

const CHROMIUM = '/usr/bin/chromium';

function run(command, args, title) {
  step(title);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) fail(`${title} failed`);
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  step('installing Chromium from Debian packages (for the browser tests)');
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo'];
  for (const args of [
    ['apt-get', 'update'],
    ['apt-get', 'install', '-y', 'chromium'],
  ]) {
    const [command, ...rest] = [...asRoot, ...args];
    const result = spawnSync(command, rest, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (result.status !== 0)
      fail(`${args.join(' ')} failed; install Chromium (${CHROMIUM}) and run npm test again`);
  }
}

checkNode();
ensureDependencies();
ensureChromium();
const bin = (name) => `${ROOT}/node_modules/.bin/${name}`;
run(bin('biome'), ['check', '.'], 'lint and format check (biome)');
run(bin('tsc'), ['-p', 'tsconfig.json'], 'type check (tsc)');
buildEditor();
run(
  bin('vitest'),
  ['run', ...process.argv.slice(2)],
  'tests: unit, integration (real Temporal), e2e (Chromium)',
);
