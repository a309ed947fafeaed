/**
 * How many events/s the pure interpreter handles without Temporal, as shadow replay and the
 * editor's dry run use it. Run: `cd nodes && npx tsx bench/interpreterThroughput.ts` (or `npm run bench`).
 * Target (issue: interpreter): ≥ 5,000 events/s on 2 cores.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ConversationState, emptyConversationState, isLive, step } from '../src/index';
import { acknowledged, chain, inboundMessage } from '../src/testing/builders';
import { assignedTo } from '../src/testing/drive';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 50_000);

// new conversation → keyword check → tag → assign → wait for acknowledgement (acknowledged) → end
const graph = chain(
  { id: 'start', type: 'trigger.newConversation' },
  {
    id: 'vip',
    type: 'condition.if',
    config: {
      group: { combinator: 'or', rules: [{ field: 'message.text', operator: 'contains', value: 'urgent' }] },
    },
    via: 'false',
  },
  { id: 'tag', type: 'action.tag', config: { tag: 'inbound' } },
  { id: 'assign', type: 'assign', config: { teamId: 'team_support' }, via: 'assigned' },
  { id: 'ack', type: 'flow.waitForAcknowledgement', config: { timeoutMinutes: 15 }, via: 'acknowledged' },
  { id: 'end', type: 'flow.end' },
);

const states = new Map<string, ConversationState>();
let events = 0;
const started = performance.now();
for (let i = 0; i < CONVERSATIONS; i++) {
  const conversationId = `c${i}`;
  const now = 1_764_000_000_000 + i;
  let out = step(
    graph,
    emptyConversationState(conversationId),
    inboundMessage({ conversationId, text: 'hello' }),
    now,
  );
  const key = out.state.execution?.awaitingEffectKey ?? '';
  out = step(
    graph,
    out.state,
    { type: 'effect.completed', conversationId, key, result: assignedTo('agent_ana') },
    now,
  );
  out = step(graph, out.state, acknowledged({ conversationId }), now + 60_000);
  events += 3;
  if (isLive(out.state)) states.set(conversationId, out.state);
}
const seconds = (performance.now() - started) / 1000;
const result = {
  benchmark: 'interpreter',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
  conversations: CONVERSATIONS,
  events,
  seconds: Number(seconds.toFixed(3)),
  eventsPerSecond: Math.round(events / seconds),
  stillLive: states.size,
  target: { eventsPerSecond: 5000 },
  meets: { eventsPerSecond: events / seconds >= 5000 },
};
const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, `interpreter-${result.date.replaceAll(':', '-')}.json`),
  `${JSON.stringify(result, null, 2)}\n`,
);
console.log(JSON.stringify(result, null, 2));
if (states.size !== 0) process.exit(1);
