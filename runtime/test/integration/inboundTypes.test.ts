import type { CustomerPost, WorkflowGraph } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_BUSINESS_NUMBER_ID, DEMO_WORKFLOW_ID } from '../../src/demo/seedDemo';
import { customerWebhook } from '../../src/whatsapp/inboundPayloads';
import { signWebhookBody } from '../../src/whatsapp/signature';
import { eventually, startTestRuntime, TEST_APP_SECRET } from '../support/runtimeHarness';

let app: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  app = await startTestRuntime(inject('temporalAddress'));
});
afterAll(async () => {
  await app?.cleanup();
});

/** A tap on "Talk to sales" goes to sales; anything else (a shared location, say) is tagged for triage. */
const salesButtonRouting: WorkflowGraph = {
  nodes: [
    { id: 'inbound', type: 'trigger.messageReceived', typeVersion: 1, position: { x: 0, y: 0 }, config: {} },
    {
      id: 'isSalesTap',
      type: 'condition.if',
      typeVersion: 1,
      position: { x: 0, y: 120 },
      config: {
        group: {
          combinator: 'and',
          rules: [
            { field: 'message.type', operator: 'equals', value: 'interactive' },
            { field: 'message.text', operator: 'equals', value: 'Talk to sales' },
            // The button's id, as the business defined it, reaches the condition too.
            { field: 'message.replyId', operator: 'equals', value: 'talk-to-sales' },
          ],
        },
      },
    },
    {
      id: 'sales',
      type: 'action.tag',
      typeVersion: 1,
      position: { x: -120, y: 240 },
      config: { tag: 'sales' },
    },
    {
      id: 'triage',
      type: 'action.tag',
      typeVersion: 1,
      position: { x: 120, y: 240 },
      config: { tag: 'triage' },
    },
  ],
  edges: [
    { id: 'e1', source: 'inbound', sourceHandle: 'out', target: 'isSalesTap' },
    { id: 'e2', source: 'isSalesTap', sourceHandle: 'true', target: 'sales' },
    { id: 'e3', source: 'isSalesTap', sourceHandle: 'false', target: 'triage' },
  ],
};

async function customerSends(post: CustomerPost): Promise<void> {
  const body = JSON.stringify(customerWebhook(post, DEMO_BUSINESS_NUMBER_ID));
  const reply = await fetch(`${app.url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signWebhookBody(body, TEST_APP_SECRET),
    },
    body,
  });
  expect(reply.status).toBe(200);
}

const tagsOf = (waId: string) => {
  const tags = app.db.$client
    .prepare(`SELECT tags FROM conversations WHERE customer_wa_id = ?`)
    .pluck()
    .get(waId);
  const parsed = tags === undefined ? [] : (JSON.parse(tags as string) as string[]);
  return parsed.length > 0 ? parsed : undefined;
};

describe('non-text inbound messages routed by the real runtime on Temporal', () => {
  it('a button_reply’s type, title and id reach an If condition; a location takes the other branch', async () => {
    const published = await app.api(`/api/workflows/${DEMO_WORKFLOW_ID}/publish`, {
      method: 'POST',
      body: JSON.stringify({ graph: salesButtonRouting, note: 'sales button' }),
    });
    expect(published.status).toBe(201);

    await customerSends({
      from: '5511944440001',
      profileName: 'Rafa',
      message: { kind: 'button_reply', id: 'talk-to-sales', title: 'Talk to sales' },
    });
    await customerSends({
      from: '5511944440002',
      message: { kind: 'location', latitude: -23.56, longitude: -46.65, name: 'Talk to sales' },
    });

    expect(await eventually(() => tagsOf('5511944440001'))).toEqual(['sales']);
    // Same text, but a location is not a button tap: the type fact decides.
    expect(await eventually(() => tagsOf('5511944440002'))).toEqual(['triage']);
  }, 90_000);
});
