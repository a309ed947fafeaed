/**
 * Shadow replay throughput: recorded events re-run in dry-run, per second, end to end (reading the
 * outbox, both passes, assignments against the reconstructed world as agents step away and come
 * back during the range, the comparison). No Temporal.
 * Run: `cd runtime && npx tsx bench/shadowReplay.ts`. Target (issue 7): ≥ 5,000 events/s on 2 cores.
 * Replay jobs run in the runtime process, so this runs under its Node flags (see `runtimeFlags.ts`).
 */
import { loadavg } from 'node:os';
import type { WorkflowGraph } from '@switchboard/shared';
import { openDatabase } from '../src/db/database';
import { recordDemoTraffic } from '../src/demo/demoTraffic';
import { DEMO_WORKFLOW_ID, seedDemoWorkspace } from '../src/demo/seedDemo';
import { LiveHub } from '../src/live/liveHub';
import { createRecordedHistory } from '../src/replay/recordedHistory';
import { createShadowReplay } from '../src/replay/shadowReplay';
import { createPresence } from '../src/team/presence';
import { createWebhookIngest } from '../src/whatsapp/ingest';
import { createWorkflowStore } from '../src/workflows/workflowStore';
import { machineInfo, saveReport } from './reportFile';
import { rerunWithRuntimeFlags } from './runtimeFlags';

const nodeFlags = rerunWithRuntimeFlags();

const CONVERSATIONS = Number(process.env.BENCH_REPLAY_CONVERSATIONS ?? 30_000);
const START = Date.UTC(2026, 10, 2, 8, 0, 0);
const SPACING_MS = 200;
const TARGET_EVENTS_PER_SECOND = 5000;

// The target: urgent texts tagged and given to the least loaded; everyone else waits 15 min for an
// acknowledgement, then goes to the team lead with a note. Deadlines fire inside the range.
const node = (id: string, type: string, config: Record<string, unknown> = {}) => ({
  id,
  type,
  typeVersion: 1,
  position: { x: 0, y: 0 },
  config,
});
const target: WorkflowGraph = {
  nodes: [
    node('start', 'trigger.newConversation'),
    node('urgent', 'condition.if', {
      group: { combinator: 'or', rules: [{ field: 'message.text', operator: 'contains', value: 'urgent' }] },
    }),
    node('tag', 'action.tag', { tag: 'urgent' }),
    node('assign', 'assign', { strategy: 'least_loaded', teamId: 'team_support' }),
    node('ack', 'flow.waitForAcknowledgement', { timeoutMinutes: 15 }),
    node('lead', 'assign', { strategy: 'team_lead', teamId: 'team_support' }),
    node('note', 'action.note', { text: 'Escalated: nobody acknowledged in time.' }),
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'out', target: 'urgent' },
    { id: 'e2', source: 'urgent', sourceHandle: 'true', target: 'tag' },
    { id: 'e3', source: 'urgent', sourceHandle: 'false', target: 'assign' },
    { id: 'e4', source: 'tag', sourceHandle: 'out', target: 'assign' },
    { id: 'e5', source: 'assign', sourceHandle: 'assigned', target: 'ack' },
    { id: 'e6', source: 'ack', sourceHandle: 'timeout', target: 'lead' },
    { id: 'e7', source: 'lead', sourceHandle: 'assigned', target: 'note' },
  ],
};

const db = openDatabase(':memory:');
const workflows = createWorkflowStore(db);
seedDemoWorkspace(db, workflows, START - 3_600_000);
// Capacity high enough that least-loaded keeps choosing among everyone.
db.$client.prepare('UPDATE agents SET capacity = 100000').run();
recordDemoTraffic(createWebhookIngest(db, 8), {
  conversations: CONVERSATIONS,
  startAt: START,
  spacingMs: SPACING_MS,
});
// Every minute one of Ana, Chloé and Dev steps away or comes back (Ben, the lead, stays online so
// every escalation still finds him): the replay applies each change as of its time.
const presence = createPresence(db, new LiveHub(db));
const steppingAway = ['agent_ana', 'agent_chloe', 'agent_dev'];
for (let minute = 0; minute * 60_000 < CONVERSATIONS * SPACING_MS; minute++) {
  const agentId = steppingAway[minute % steppingAway.length] ?? 'agent_ana';
  const away = Math.floor(minute / steppingAway.length) % 2 === 0;
  await presence.set(agentId, away ? 'away' : 'online', START + minute * 60_000 + 30_000);
}
const version = workflows.publish(DEMO_WORKFLOW_ID, target, 'bench target', null, START);
const to = START + CONVERSATIONS * SPACING_MS + 3_600_000;

const started = performance.now();
const cpuStarted = process.cpuUsage();
const replay = createShadowReplay(createRecordedHistory(db), {
  workflowId: DEMO_WORKFLOW_ID,
  target: { versionId: version.id, graph: version.graph },
  from: START,
  to,
});
while (!replay.advance(2000)) {
  // Slices, as the background job runs them.
}
const { totals } = replay.result();
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
// Wall time is what the target is about; CPU time shows what other load on the machine took away.
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const eventsPerSecond = Math.round(replay.processed / seconds);
const date = new Date();
const report = {
  benchmark: 'shadow-replay',
  date: date.toISOString(),
  machine: machineInfo(),
  loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
  nodeFlags,
  recordedEvents: replay.processed,
  availabilityChanges: db.$client.prepare('SELECT count(*) FROM agent_availability_changes').pluck().get(),
  conversations: totals.conversations,
  passes: 2,
  seconds: Number(seconds.toFixed(3)),
  cpuSeconds: Number(cpuSeconds.toFixed(3)),
  eventsPerSecond,
  eventsPerCpuSecond: Math.round(replay.processed / cpuSeconds),
  totals: {
    assignmentsChanged: totals.assignmentsChanged,
    escalations: totals.escalations,
    effects: totals.effects,
  },
  target: { eventsPerSecond: TARGET_EVENTS_PER_SECOND },
  meets: { eventsPerSecond: eventsPerSecond >= TARGET_EVENTS_PER_SECOND },
};
const file = await saveReport('shadow-replay', date, JSON.stringify(report, null, 2));
console.log(JSON.stringify(report, null, 2));
console.log(`saved ${file}`);
if (replay.processed !== CONVERSATIONS || totals.effects.after.note !== CONVERSATIONS) {
  console.error('the replay did not cover the recorded traffic as expected');
  process.exit(1);
}
