import { routedEventSchema } from '@switchboard/shared';
import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../../src/api/httpError';
import { DEMO_BUSINESS_NUMBER_ID, DEMO_WORKFLOW_ID, seedDemoWorkspace } from '../../src/demo/seedDemo';
import { inboundTextWebhook } from '../../src/whatsapp/inboundPayloads';
import { createWebhookIngest } from '../../src/whatsapp/ingest';
import { draftRoutes } from '../../src/workflows/draftRoutes';
import { dryRunRoutes } from '../../src/workflows/dryRunRoutes';
import { createWorkflowDrafts } from '../../src/workflows/workflowDrafts';
import { workflowRoutes } from '../../src/workflows/workflowRoutes';
import { createWorkflowStore } from '../../src/workflows/workflowStore';
import { acknowledgeOrEscalate } from '../support/escalationGraph';
import { count, demoDatabase, duringWorkerCommit, fileDatabaseWithWorker } from '../support/testDatabase';

let app: ReturnType<typeof Fastify>;
let database: ReturnType<typeof demoDatabase>;

beforeEach(async () => {
  database = demoDatabase();
  app = Fastify();
  installErrorHandler(app);
  await app.register(workflowRoutes, { workflows: database.workflows });
  await app.register(draftRoutes, { drafts: createWorkflowDrafts(database.db) });
  await app.register(dryRunRoutes, { db: database.db });
});
afterEach(async () => {
  await app.close();
  database.db.$client.close();
});

const draftUrl = `/api/workflows/${DEMO_WORKFLOW_ID}/draft`;
const saveDraft = (graph: unknown, revision: number, editedBy = 'Maria') =>
  app.inject({ method: 'PUT', url: draftUrl, payload: { graph, revision, editedBy } });

describe('workflow drafts', () => {
  it('opens on the published graph until the first save', async () => {
    const reply = await app.inject({ method: 'GET', url: draftUrl });
    expect(reply.statusCode).toBe(200);
    const draft = reply.json();
    expect(draft.revision).toBe(0);
    expect(draft.graph.nodes.map((n: { id: string }) => n.id)).toEqual([
      'new_conversation',
      'assign_support',
    ]);
  });

  it('saves a draft, even an invalid one, bumping the revision and recording who edited it', async () => {
    const graph = acknowledgeOrEscalate(15);
    graph.edges = [];
    const reply = await saveDraft(graph, 0);
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toMatchObject({ revision: 1, lastEditedBy: 'Maria' });
    const reloaded = (await app.inject({ method: 'GET', url: draftUrl })).json();
    expect(reloaded.graph.nodes).toHaveLength(5);
    expect(reloaded.graph.edges).toEqual([]);
    // The published version is untouched: drafts never route conversations.
    expect(database.workflows.list()[0]?.publishedVersion?.graph.nodes).toHaveLength(2);
  });

  it('refuses a save based on a stale revision with 409, naming who saved in between', async () => {
    expect((await saveDraft(acknowledgeOrEscalate(15), 0, 'Maria')).statusCode).toBe(200);
    const stale = await saveDraft(acknowledgeOrEscalate(30), 0, 'João');
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'draft_conflict', field: 'revision' });
    expect(stale.json().error.message).toContain('Maria');
    const kept = (await app.inject({ method: 'GET', url: draftUrl })).json();
    expect(kept.graph.nodes.find((n: { id: string }) => n.id === 'wait_ack').config.timeoutMinutes).toBe(15);
  });

  it('a publish shows on the workflow list as the last edit, by whoever published', async () => {
    expect((await saveDraft(acknowledgeOrEscalate(15), 0, 'Maria')).statusCode).toBe(200);
    const overviewOf = async () =>
      (await app.inject({ method: 'GET', url: '/api/workflow-overview' }))
        .json()
        .workflows.find((w: { id: string }) => w.id === DEMO_WORKFLOW_ID);
    const afterSave = await overviewOf();
    expect(afterSave).toMatchObject({ lastEditedBy: 'Maria', publishedVersionNumber: 1 });

    const published = await app.inject({
      method: 'POST',
      url: `/api/workflows/${DEMO_WORKFLOW_ID}/publish`,
      payload: { graph: acknowledgeOrEscalate(15), note: 'escalate after 15', publishedBy: 'João' },
    });
    expect(published.statusCode).toBe(201);
    const afterPublish = await overviewOf();
    expect(afterPublish).toMatchObject({
      lastEditedBy: 'João',
      lastEditedAt: published.json().version.publishedAt,
      publishedVersionNumber: 2,
    });
    expect(afterPublish.lastEditedAt).toBeGreaterThanOrEqual(afterSave.lastEditedAt);
    // The draft itself is what Maria saved: publishing names the editor without touching the draft.
    expect((await app.inject({ method: 'GET', url: draftUrl })).json()).toMatchObject({
      revision: 1,
      lastEditedBy: 'João',
    });
  });

  it('rejects something that is not a graph with 400 naming the field', async () => {
    const reply = await saveDraft({ nodes: [{ id: 'x' }], edges: [] }, 0);
    expect(reply.statusCode).toBe(400);
    expect(reply.json().error.field).toMatch(/^graph\.nodes\.0\./);
    expect((await app.inject({ method: 'GET', url: '/api/workflows/nope/draft' })).statusCode).toBe(404);
  });

  it('creates, duplicates and archives workflows; the overview counts them', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/workflows',
      payload: { name: 'After hours' },
    });
    expect(created.statusCode).toBe(201);
    const { workflowId } = created.json();
    expect(
      (await app.inject({ method: 'POST', url: '/api/workflows', payload: { name: 'After hours' } }))
        .statusCode,
    ).toBe(409);

    const copy = await app.inject({
      method: 'POST',
      url: `/api/workflows/${DEMO_WORKFLOW_ID}/duplicate`,
      payload: {},
    });
    expect(copy.statusCode).toBe(201);
    expect(copy.json().graph.nodes).toHaveLength(2);

    const overview = (await app.inject({ method: 'GET', url: '/api/workflow-overview' })).json().workflows;
    expect(overview.map((w: { name: string }) => w.name)).toHaveLength(3);
    expect(overview.find((w: { id: string }) => w.id === DEMO_WORKFLOW_ID)).toMatchObject({
      status: 'published',
      publishedVersionNumber: 1,
      executionCount: count(database.db, 'executions'),
    });

    expect(
      (await app.inject({ method: 'POST', url: `/api/workflows/${workflowId}/archive`, payload: {} }))
        .statusCode,
    ).toBe(200);
    // The demo number routes through the default workflow: archiving it would silently stop routing.
    const inUse = await app.inject({
      method: 'POST',
      url: `/api/workflows/${DEMO_WORKFLOW_ID}/archive`,
      payload: {},
    });
    expect(inUse.statusCode).toBe(409);
    const after = (await app.inject({ method: 'GET', url: '/api/workflow-overview' })).json().workflows;
    expect(after.map((w: { id: string }) => w.id)).not.toContain(workflowId);
  });
});

describe('dry-run support', () => {
  it('lists live teams, agents, skills and languages for the inspector', async () => {
    const sqlite = database.db.$client;
    sqlite.prepare(`UPDATE agents SET languages = '["pt-BR","en"]' WHERE id = 'agent_ana'`).run();
    sqlite
      .prepare(`INSERT INTO contacts (id, wa_id, language) VALUES ('contact_es', '34600000000', 'es')`)
      .run();
    const lookups = (await app.inject({ method: 'GET', url: '/api/editor/lookups' })).json();
    expect(lookups.teams.map((t: { id: string }) => t.id)).toEqual(['team_sales', 'team_support']);
    expect(lookups.agents).toHaveLength(6);
    expect(lookups.skills).toContain('billing');
    expect(lookups.languages).toEqual(['en', 'es', 'pt-BR']);
  });

  it('offers stored customer messages as recorded events the test run can replay', async () => {
    const ingest = createWebhookIngest(database.db, 8);
    const payload = inboundTextWebhook({
      phoneNumberId: DEMO_BUSINESS_NUMBER_ID,
      from: '5511944443333',
      text: 'Preciso de ajuda com a fatura',
      profileName: 'Carla',
      messageId: 'wamid.RECORDED',
      timestamp: 1_764_000_000,
    });
    ingest(JSON.stringify(payload), 'sha256=x', payload, 1000);
    const reply = await app.inject({ method: 'GET', url: '/api/editor/recorded-events' });
    expect(reply.statusCode).toBe(200);
    const [recorded, ...others] = reply.json().events;
    expect(others).toEqual([]);
    expect(recorded).toMatchObject({
      messageId: 'wamid.RECORDED',
      label: 'Carla: “Preciso de ajuda com a fatura”',
      event: { type: 'message.received', text: 'Preciso de ajuda com a fatura', isNewConversation: true },
    });
    // Complete as the router would see it, sequence included, so the draft runs on the real thing.
    expect(routedEventSchema.safeParse(recorded.event).success).toBe(true);
  });

  it('decides an assignment read-only: the explanation comes back, nothing is stored', async () => {
    const effect = {
      type: 'assign',
      key: 'dry-run:1',
      conversationId: 'dry-run-conversation',
      executionId: 'dry-run',
      workflowVersionId: 'draft',
      nodeId: 'assign',
      strategy: 'skill_match',
      teamId: 'team_support',
      skills: [{ skill: 'billing', minLevel: 1 }],
      fallback: 'round_robin',
      onlyOnline: false,
      path: ['new_conversation', 'assign'],
    };
    const before = count(database.db, 'assignments');
    const reply = await app.inject({
      method: 'POST',
      url: '/api/editor/dry-run/assign',
      payload: { effect },
    });
    expect(reply.statusCode).toBe(200);
    const result = reply.json();
    expect(['agent_ana', 'agent_chloe']).toContain(result.agentId);
    expect(result.explanation.candidates.length).toBeGreaterThan(0);
    expect(count(database.db, 'assignments')).toBe(before);

    const unknownTeam = await app.inject({
      method: 'POST',
      url: '/api/editor/dry-run/assign',
      payload: { effect: { ...effect, teamId: 'team_nope' } },
    });
    expect(unknownTeam.statusCode).toBe(422);
    expect(unknownTeam.json().error.message).toContain('team_nope');
  });
});

describe('a save while the router worker holds the write lock', () => {
  it('waits for the lock with the event loop free and is saved, instead of failing at once with 503', async () => {
    const { db, worker, close } = fileDatabaseWithWorker('draft-lock');
    const workflows = createWorkflowStore(db);
    seedDemoWorkspace(db, workflows, Date.now());
    const locked = Fastify();
    installErrorHandler(locked);
    await locked.register(draftRoutes, { drafts: createWorkflowDrafts(db) });
    try {
      const reply = await duringWorkerCommit(worker, () =>
        locked.inject({
          method: 'PUT',
          url: draftUrl,
          payload: { graph: acknowledgeOrEscalate(15), revision: 0, editedBy: 'Maria' },
        }),
      );
      expect(reply.statusCode).toBe(200);
      expect(reply.json()).toMatchObject({ revision: 1, lastEditedBy: 'Maria' });

      // Creating, copying and archiving read names and routes before they write: the same wait.
      const whileLocked = (url: string, payload: object) =>
        duringWorkerCommit(worker, () => locked.inject({ method: 'POST', url, payload }));
      const created = await whileLocked('/api/workflows', { name: 'Night shift' });
      expect(created.statusCode, created.body).toBe(201);
      const copied = await whileLocked(`/api/workflows/${DEMO_WORKFLOW_ID}/duplicate`, {});
      expect(copied.statusCode, copied.body).toBe(201);
      const archived = await whileLocked(`/api/workflows/${created.json().workflowId}/archive`, {});
      expect(archived.statusCode, archived.body).toBeLessThan(300);
      expect(
        db.$client.prepare(`SELECT name, status FROM workflows ORDER BY created_at`).raw().all(),
      ).toEqual(expect.arrayContaining([['Night shift', 'archived']]));
    } finally {
      await locked.close();
      close();
    }
  });
});
