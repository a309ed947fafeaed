import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from './test/replay/storedHistories';

const require = createRequire(import.meta.url);
const raw = JSON.parse(readFileSync(process.argv[2] as string, 'utf8'));
const cut = Number(process.argv[3] ?? raw.events.length);
raw.events = raw.events.filter((e: { eventId: string }) => Number(e.eventId) <= cut);
const history = historyFromJSON(raw);
try {
  await Worker.runReplayHistory(
    { workflowsPath: require.resolve('./src/routing/routerWorkflow.ts') },
    history,
  );
  console.log('replayed OK up to', cut);
} catch (e) {
  console.log('FAILED', String(e).slice(0, 400));
}
