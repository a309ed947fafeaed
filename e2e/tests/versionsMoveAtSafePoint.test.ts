import { describe, expect, it } from 'vitest';
import { DEMO_WORKFLOW_ID } from '../../runtime/src/demo/seedDemo';
import { acknowledgeOrEscalate, acknowledgeOrTag } from '../../runtime/test/support/escalationGraph';
import { eventually, postInboundText } from '../../runtime/test/support/runtimeHarness';
import { screenshot } from '../support/browser';
import { runtimeInChromium } from '../support/testbed';

const testbed = runtimeInChromium();

async function publishByApi(graph: ReturnType<typeof acknowledgeOrEscalate>, note: string) {
  const reply = await testbed.app.api(`/api/workflows/${DEMO_WORKFLOW_ID}/publish`, {
    method: 'POST',
    body: JSON.stringify({ graph, note }),
  });
  expect(reply.status).toBe(201);
}

describe('the Versions page counts the conversations running on each version', () => {
  it('a waiting conversation counts for v2 until a rollback that moves running executions takes it along', async () => {
    // The seeded v1, then v2 waiting an hour for the acknowledgement, and v3 that tags instead.
    await publishByApi(acknowledgeOrEscalate(60), 'wait an hour, then the lead');
    await postInboundText(testbed.app.url, { from: '5521990000101', text: 'Olá' });
    const executionId = await eventually(() => {
      const row = testbed.app.db.$client
        .prepare(
          `SELECT e.id FROM executions e JOIN conversations c ON c.id = e.conversation_id
            WHERE c.customer_wa_id = '5521990000101' AND e.status = 'waiting'`,
        )
        .pluck()
        .get() as string | undefined;
      const waitingForAck = testbed.app.db.$client
        .prepare(`SELECT 1 FROM execution_steps WHERE execution_id = ? AND node_id = 'wait_ack'`)
        .get(row ?? '');
      return row && waitingForAck ? row : undefined;
    });
    await publishByApi(acknowledgeOrTag('tag_unanswered', 60), 'tag instead of escalating');

    const page = await testbed.signedInPage('admin@demo.switchboard');
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`${testbed.app.url}/versions`);
    const running = (version: number) =>
      page.locator(`[data-testid="version-row"][data-version="${version}"] [data-testid="version-live"]`);
    await expect.poll(() => page.getByTestId('version-row').count()).toBe(3);
    expect(await page.getByRole('columnheader', { name: 'Conversations running' }).count()).toBe(1);
    expect(await running(2).textContent()).toBe('1');
    expect(await running(3).textContent()).toBe('0');

    // Roll back to v2, asking running executions to move: published as v4, and the conversation
    // waiting on v2 moves there at once (it waits on a node v4 has).
    await page
      .locator('label', { hasText: 'On rollback, running executions' })
      .locator('select')
      .selectOption('move_at_safe_point');
    await page.locator('[data-testid="version-row"][data-version="2"]').getByTestId('rollback').click();
    await expect.poll(() => page.getByTestId('version-row').count()).toBe(4);
    expect(await page.locator('[data-testid="version-row"][data-version="4"]').textContent()).toContain(
      'move at safe point',
    );
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByTestId('versions-table').waitFor();
          return [await running(4).textContent(), await running(2).textContent()];
        },
        { timeout: 30_000 },
      )
      .toEqual(['1', '0']);
    await screenshot(page, 'versions-running-conversations');

    // The execution explorer's trace says where and from which version it moved.
    await page.goto(`${testbed.app.url}/executions/${encodeURIComponent(executionId)}`);
    await page.getByTestId('trace-steps').waitFor();
    await expect
      .poll(() => page.getByTestId('trace-steps').textContent())
      .toContain('moved from v2 to v4 at node wait_ack');
    await screenshot(page, 'execution-trace-moved');
  });
});
