import type { AppDatabase } from '../../src/db/database';
import { seedDemoWorkspace } from '../../src/demo/seedDemo';
import { DEMO_TEMPLATES, seedTemplates } from '../../src/whatsapp/outbound/messageTemplates';
import { createOutboundSender, type OutboundSenderOptions } from '../../src/whatsapp/outbound/outboundSender';
import {
  GraphApiSimulator,
  type GraphApiSimulatorOptions,
} from '../../src/whatsapp/simulator/graphApiSimulator';
import { createWorkflowStore } from '../../src/workflows/workflowStore';
import { demoDatabase, fileDatabaseWithWorker } from './testDatabase';

export const TOKEN = 'EAAG-test-token';
export const NUMBER_ID = '100000000000001';
export const NOW = 1_764_000_000_000;

/** A clock that only moves when the code under test sleeps: pacing is checked without real waits. */
export class ManualClock {
  constructor(public now: number) {}
  readonly read = () => this.now;
  readonly sleeps: number[] = [];
  readonly sleep = async (ms: number) => {
    this.sleeps.push(ms);
    this.now += ms;
  };
}

/**
 * A demo database with customers whose windows are open, the simulator and a sender between them.
 * `lockable`: the database is a file with a second connection, `worker`, standing for the router
 * worker process (tests hold the write lock with it).
 */
export async function outboundFixture(
  overrides: Partial<OutboundSenderOptions> = {},
  simulatorOptions: GraphApiSimulatorOptions = {},
  { lockable = false } = {},
) {
  const { db, worker, closeDatabase } = lockable ? lockableDemoDatabase() : inMemory();
  const clock = new ManualClock(NOW);
  const graphApi = new GraphApiSimulator(TOKEN, { clock: clock.read, ...simulatorOptions });
  const baseUrl = await graphApi.start();
  const options: OutboundSenderOptions = {
    settings: { baseUrl, version: 'v23.0', accessToken: TOKEN },
    pacing: { messagesPerSecond: 80, recipientIntervalMs: 6000, recipientBurst: 5, maxWaitMs: 60_000 },
    rateLimitRetries: 3,
    backoffBaseMs: 500,
    clock: clock.read,
    sleep: clock.sleep,
    random: () => 0.5,
    ...overrides,
  };
  return {
    db,
    clock,
    graphApi,
    worker,
    options,
    sender: createOutboundSender(db, options),
    /** A customer who wrote `agoMs` before the clock's start; returns the conversation id. */
    customer(waId: string, agoMs = 60_000): string {
      return addConversation(db, waId, NOW - agoMs);
    },
    async close() {
      await graphApi.stop();
      closeDatabase();
    },
  };
}

export function addConversation(db: AppDatabase, waId: string, lastInboundAt: number | null): string {
  const id = `conv-${waId}`;
  db.$client
    .prepare(`INSERT INTO contacts (id, wa_id) VALUES (?, ?) ON CONFLICT DO NOTHING`)
    .run(`ct-${waId}`, waId);
  db.$client
    .prepare(
      `INSERT INTO conversations (id, business_number_id, contact_id, customer_wa_id, last_inbound_at)
       VALUES (?, ?, ?, ?, ?)`,
    )
    .run(id, NUMBER_ID, `ct-${waId}`, waId, lastInboundAt);
  return id;
}

function inMemory() {
  const { db } = demoDatabase();
  return { db, worker: null, closeDatabase: () => db.$client.close() };
}

function lockableDemoDatabase() {
  const { db, worker, close } = fileDatabaseWithWorker('outbound');
  seedDemoWorkspace(db, createWorkflowStore(db), Date.now());
  seedTemplates(db, DEMO_TEMPLATES);
  return { db, worker, closeDatabase: close };
}
