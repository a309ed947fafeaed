import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WORKFLOW_ID } from '../../runtime/src/demo/seedDemo';
import { acknowledgeOrEscalate } from '../../runtime/test/support/escalationGraph';
import { eventually, postInboundText, signIn } from '../../runtime/test/support/runtimeHarness';
import { DEMO_PASSWORD, screenshot } from '../support/browser';
import { runtimeInChromium } from '../support/testbed';

const ACK_TIMEOUT_MINUTES = 0.1; // 6 s

const testbed = runtimeInChromium({ graphApiSimulator: true });

beforeAll(async () => {
  const published = await testbed.app.api(`/api/workflows/${DEMO_WORKFLOW_ID}/publish`, {
    method: 'POST',
    body: JSON.stringify({ graph: acknowledgeOrEscalate(ACK_TIMEOUT_MINUTES), note: 'inbox e2e' }),
  });
  expect(published.status).toBe(201);
});

/** A signed-in agent's inbox (own browser context, so own cookies), connected to the live feed. */
async function inboxOf(email: string, path = '/inbox'): Promise<Page> {
  const page = await testbed.signedInPage(email);
  await page.goto(`${testbed.app.url}${path}`);
  await expect
    .poll(() => page.getByTestId('socket-status').textContent(), { timeout: 15_000 })
    .toBe('connected');
  return page;
}

const sqlite = () => testbed.app.db.$client;
const conversationOf = (waId: string) =>
  eventually(
    () =>
      sqlite().prepare(`SELECT id FROM conversations WHERE customer_wa_id = ?`).pluck().get(waId) as
        | string
        | undefined,
  );
const assignmentsOf = (conversationId: string) =>
  sqlite()
    .prepare(`SELECT agent_id, node_id FROM assignments WHERE conversation_id = ? ORDER BY created_at, rowid`)
    .all(conversationId) as Array<{ agent_id: string; node_id: string }>;
const emailOf = (agentId: string) =>
  sqlite().prepare(`SELECT email FROM agents WHERE id = ?`).pluck().get(agentId) as string;

/** Calls the API from inside the page, as the editor would: session cookie plus the CSRF header. */
function publishFrom(page: Page) {
  return page.evaluate(
    async ({ workflowId, graph }) => {
      const csrf = decodeURIComponent(/(?:^|;\s*)sb_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? '');
      const response = await fetch(`/api/workflows/${workflowId}/publish`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ graph, note: 'from the browser' }),
      });
      return { status: response.status, body: await response.json() };
    },
    { workflowId: DEMO_WORKFLOW_ID, graph: acknowledgeOrEscalate(ACK_TIMEOUT_MINUTES) },
  );
}

describe('agent inbox with access control, in Chromium with two agents', () => {
  let rafaelasConversation = '';

  it('an assignment appears live for the agent it went to, and only in the team list of the other', async () => {
    const ana = await inboxOf('ana@demo.switchboard');
    const chloe = await inboxOf('chloe@demo.switchboard');
    expect(await ana.getByTestId('conversation-row').count()).toBe(0);

    expect(
      (
        await postInboundText(testbed.app.url, {
          from: '5521900000001',
          text: 'Meu pedido não chegou',
          profileName: 'Rafaela',
        })
      ).status,
    ).toBe(200);
    rafaelasConversation = await conversationOf('5521900000001');
    const [first] = await eventually(() =>
      assignmentsOf(rafaelasConversation).length ? assignmentsOf(rafaelasConversation) : undefined,
    );
    // Round-robin over Support starts with Ana.
    expect(first?.agent_id).toBe('agent_ana');

    const row = ana.locator(
      `[data-testid="conversation-row"][data-conversation-id="${rafaelasConversation}"]`,
    );
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('Rafaela');
    await screenshot(ana, 'inbox-assignment-live');

    // Chloé's own list stays empty; her team list shows it, live as well.
    expect(await chloe.getByTestId('conversation-row').count()).toBe(0);
    await chloe.getByTestId('view-team').click();
    await chloe
      .locator(`[data-testid="conversation-row"][data-conversation-id="${rafaelasConversation}"]`)
      .waitFor();
  });

  it('acknowledging in the conversation view stops the escalation; the unacknowledged one escalates to the lead', async () => {
    await postInboundText(testbed.app.url, {
      from: '5521900000002',
      text: 'Preciso de ajuda',
      profileName: 'Bruno',
    });
    await postInboundText(testbed.app.url, { from: '5521900000003', text: 'Olá?', profileName: 'Carla' });
    const acknowledged = await conversationOf('5521900000002');
    const ignored = await conversationOf('5521900000003');
    const [assigned] = await eventually(() =>
      assignmentsOf(acknowledged).length ? assignmentsOf(acknowledged) : undefined,
    );
    const owner = await inboxOf(emailOf(assigned?.agent_id as string), `/inbox/${acknowledged}`);
    await owner.getByTestId('acknowledge').click();
    await owner.getByTestId('acknowledged').waitFor();
    await screenshot(owner, 'inbox-acknowledged');

    const escalated = await eventually(
      () => (assignmentsOf(ignored).length === 2 ? assignmentsOf(ignored) : undefined),
      60_000,
    );
    expect(escalated.map((a) => a.node_id)).toEqual(['assign', 'lead']);
    expect(escalated[1]?.agent_id).toBe('agent_ben');
    // Both deadlines have passed now; give a late timer a moment to show itself.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(assignmentsOf(acknowledged).map((a) => a.node_id)).toEqual(['assign']);
    // The escalation is on the timeline of the one nobody acknowledged.
    const timelineOwner = await inboxOf('ben@demo.switchboard', `/inbox/${ignored}`);
    await timelineOwner.getByTestId('timeline').click();
    await expect.poll(() => timelineOwner.getByTestId('timeline').textContent()).toContain('wait_ack');
  });

  it('a note with an @mention, picked from the autocomplete, notifies the other agent live', async () => {
    const chloe = await inboxOf('chloe@demo.switchboard');
    const unreadBefore = Number(await chloe.getByTestId('unread-count').textContent());
    const ana = await inboxOf('ana@demo.switchboard', `/inbox/${rafaelasConversation}`);

    await ana.getByTestId('note-input').pressSequentially('Can you look at this @chl');
    const suggestion = ana.getByTestId('mention-suggestion').first();
    await suggestion.waitFor();
    expect(await suggestion.textContent()).toContain('Chloé Martin');
    await suggestion.click();
    expect(await ana.getByTestId('note-input').inputValue()).toBe('Can you look at this @chloe ');
    await ana.getByTestId('note-input').pressSequentially('please');
    await ana.getByTestId('save-note').click();

    // The thread may already hold the workflow's own notes (an escalation of this conversation); the
    // new one is found by its text, not by being last when the first note renders.
    const note = ana.getByTestId('thread-note').filter({ hasText: '@chloe please' });
    await note.waitFor();
    expect(await note.textContent()).toContain('Can you look at this @chloe please');
    expect(await note.evaluate((element) => getComputedStyle(element).borderStyle)).toBe('dashed');

    await expect
      .poll(() => chloe.getByTestId('unread-count').textContent(), { timeout: 15_000 })
      .toBe(String(unreadBefore + 1));
    await chloe.getByTestId('notification-bell').click();
    expect(await chloe.getByTestId('notification-item').first().textContent()).toContain(
      'Ana Souza mentioned you',
    );
    await screenshot(chloe, 'inbox-mention-notification');
  });

  it('after the socket drops, what was pushed meanwhile arrives on reconnect without a reload', async () => {
    const ana = await inboxOf('ana@demo.switchboard');
    const unreadBefore = Number(await ana.getByTestId('unread-count').textContent());
    // Cut the live feed and keep it down: new sockets go nowhere until unblocked.
    await ana.evaluate(() => {
      const RealWebSocket = window.WebSocket;
      const state = window as unknown as { __blocked: boolean; __switchboardSocket?: WebSocket };
      state.__blocked = true;
      // biome-ignore lint/complexity/useArrowFunction: the page calls it with new, which arrows refuse
      window.WebSocket = function (url: string | URL) {
        if (!state.__blocked) return new RealWebSocket(url);
        // A connection that fails at once, without touching the network (Chromium throttles real failures).
        const refused = { readyState: 3, send() {}, close() {} } as unknown as WebSocket;
        setTimeout(() => refused.onclose?.(new CloseEvent('close')), 10);
        return refused;
      } as unknown as typeof WebSocket;
      Object.assign(window.WebSocket, { OPEN: RealWebSocket.OPEN });
      state.__switchboardSocket?.close();
    });
    await expect.poll(() => ana.getByTestId('socket-status').textContent()).not.toBe('connected');

    const chloe = await signIn(testbed.app.url, 'chloe@demo.switchboard', DEMO_PASSWORD);
    const noted = await chloe.fetch(`/api/conversations/${rafaelasConversation}/notes`, {
      method: 'POST',
      body: JSON.stringify({ text: 'Seen it, @ana — over to you' }),
    });
    expect(noted.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(Number(await ana.getByTestId('unread-count').textContent())).toBe(unreadBefore);

    await ana.evaluate(() => {
      (window as unknown as { __blocked: boolean }).__blocked = false;
    });
    await expect
      .poll(() => ana.getByTestId('socket-status').textContent(), { timeout: 30_000 })
      .toBe('connected');
    await expect
      .poll(() => ana.getByTestId('unread-count').textContent(), { timeout: 15_000 })
      .toBe(String(unreadBefore + 1));
  });

  it('an agent gets 403 publishing a workflow; a manager may', async () => {
    const ana = await inboxOf('ana@demo.switchboard');
    const refused = await publishFrom(ana);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    const ben = await inboxOf('ben@demo.switchboard');
    expect((await publishFrom(ben)).status).toBe(201);
  });

  it('a reply inside the 24-hour window reaches the simulator', async () => {
    const ana = await inboxOf('ana@demo.switchboard', `/inbox/${rafaelasConversation}`);
    await ana.getByTestId('window-left').waitFor();
    await ana.getByTestId('reply-input').fill('Seu pedido chega amanhã');
    await ana.getByTestId('send-reply').click();
    const sent = await eventually(() =>
      testbed.simulator.sent.find((send) => JSON.stringify(send.body).includes('Seu pedido chega amanhã')),
    );
    expect(sent.body).toMatchObject({ to: '5521900000001', type: 'text' });
  });
});
