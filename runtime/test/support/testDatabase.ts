import { openDatabase } from '../../src/db/database';
import { seedDemoWorkspace } from '../../src/demo/seedDemo';
import { DEMO_TEMPLATES, seedTemplates } from '../../src/whatsapp/outbound/messageTemplates';
import { createWorkflowStore } from '../../src/workflows/workflowStore';

/** A fresh in-memory database with the migrations applied and the demo workspace (and templates) seeded, as DEMO=true does. */
export function demoDatabase() {
  const db = openDatabase(':memory:');
  const workflows = createWorkflowStore(db);
  seedDemoWorkspace(db, workflows, Date.now());
  seedTemplates(db, DEMO_TEMPLATES);
  return { db, workflows };
}

export function count(db: ReturnType<typeof openDatabase>, table: string): number {
  return db.$client.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}
