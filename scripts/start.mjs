#!/usr/bin/env node
// `npm start`: install what is missing, build, then run the runtime, which starts the Temporal
// dev server (building the Temporal CLI once per machine), seeds the demo and serves the editor.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildEditor, checkNode, ensureDependencies, fail, ROOT, runningInstance, step } from './setup.mjs';

checkNode();
const running = runningInstance();
if (running) {
  fail(
    `Switchboard is already running (pid ${running.pid}, data in ${running.dataDir}). Stop it with Ctrl-C first.`,
  );
}
ensureDependencies();
buildEditor();

step('starting Switchboard');
// Node flags the runtime process runs with (see runtime/nodeFlags.json and the README).
const nodeFlags = JSON.parse(readFileSync(join(ROOT, 'runtime', 'nodeFlags.json'), 'utf8')).runtime;
const runtime = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', 'src/main.ts'], {
  cwd: join(ROOT, 'runtime'),
  env: { DATA_DIR: join(ROOT, 'data'), EDITOR_DIST: join(ROOT, 'editor', 'dist'), ...process.env },
  stdio: 'inherit',
});
// Ctrl-C reaches the runtime too (same process group); a signal sent to this process alone (a
// process manager, `kill -INT`) is passed on. The runtime stops once however many it gets, stops
// Temporal and exits, and so do we.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => runtime.kill(signal));
}
runtime.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
