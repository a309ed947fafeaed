import type { WorkflowGraph } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { sampleRoutingGraph } from '../../runtime/src/demo/sampleWorkflow';
import { DEMO_WORKFLOW_ID } from '../../runtime/src/demo/seedDemo';
import { eventually, postInboundText } from '../../runtime/test/support/runtimeHarness';
import { screenshot } from '../support/browser';
import { runtimeInChromium } from '../support/testbed';

const testbed = runtimeInChromium();

/** v2: the demo graph, but tagged "sales" and assigned round-robin in Sales instead of Support. */
function salesGraph(): WorkflowGraph {
  const v1 = sampleRoutingGraph('team_support');
  return {
    nodes: [
      ...v1.nodes.map((node) =>
        node.id === 'assign_support' ? { ...node, config: { ...node.config, teamId: 'team_sales' } } : node,
      ),
      {
        id: 'tag_sales',
        type: 'action.tag',
        typeVersion: 1,
        position: { x: 0, y: 80 },
        config: { tag: 'sales' },
      },
    ],
    edges: [
      { id: 'e_trigger_tag', source: 'new_conversation', sourceHandle: 'out', target: 'tag_sales' },
      { id: 'e_tag_assign', source: 'tag_sales', sourceHandle: 'out', target: 'assign_support' },
    ],
  };
}

const count = (sql: string) => testbed.app.db.$client.prepare(sql).pluck().get() as number;

describe('an admin tries a new version on recorded traffic, reads the diff and rolls back', () => {
  it('publishes v2, shadow-replays the demo traffic, reads the diff, rolls back to v1', async () => {
    // The demo traffic: six customers write; v1 routes them round-robin in Support.
    for (let i = 0; i < 6; i++) {
      const reply = await postInboundText(testbed.app.url, {
        from: `55219000000${i}`,
        text: `Olá ${i}`,
        profileName: `C${i}`,
      });
      expect(reply.status).toBe(200);
    }
    await eventually(() => (count('SELECT count(*) FROM assignments') === 6 ? true : undefined));

    const published = await testbed.app.api(`/api/workflows/${DEMO_WORKFLOW_ID}/publish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        graph: salesGraph(),
        note: 'Sales takes new conversations',
        publishedBy: 'admin@demo',
      }),
    });
    expect(published.status).toBe(201);

    const page = await testbed.signedInPage('admin@demo.switchboard');
    await page.setViewportSize({ width: 1400, height: 1000 });
    // Shadow replay: the last day's events through v2.
    await page.goto(`${testbed.app.url}/replay`);
    await page.getByTestId('replay-target').selectOption('2');
    await page.getByTestId('replay-start').click();
    await expect
      .poll(() => page.getByTestId('replay-status').textContent(), { timeout: 30_000 })
      .toBe('completed');
    expect(await page.getByTestId('assignments-changed').textContent()).toBe('6');
    await expect.poll(() => page.getByTestId('replay-row').count()).toBe(6);
    const firstRow = await page.getByTestId('replay-row').first().textContent();
    expect(firstRow).toContain('team_support → team_sales');
    expect(firstRow).toMatch(/agent_(emma|farah)/);
    await screenshot(page, 'shadow-replay-results');
    // Dry run: nothing more was assigned for real.
    expect(count('SELECT count(*) FROM assignments')).toBe(6);

    // The diff from v1 to v2, drawn on the canvas.
    await page.goto(`${testbed.app.url}/versions`);
    await expect.poll(() => page.getByTestId('version-row').count()).toBe(2);
    await page.locator('[data-testid="version-row"][data-version="1"]').getByText('diff with v2').click();
    await page.getByTestId('workflow-canvas').waitFor();
    await expect.poll(() => page.locator('.react-flow__node.flow-highlight--added').count()).toBe(1);
    expect(
      await page.locator('.flow-highlight--added [data-testid="flow-node"]').getAttribute('data-node-id'),
    ).toBe('tag_sales');
    expect(await page.locator('.react-flow__node.flow-highlight--changed').count()).toBe(1);
    const configDiff = await page.getByTestId('config-diff').textContent();
    expect(configDiff).toContain('config.teamId');
    expect(configDiff).toContain('"team_sales"');
    expect(await page.getByTestId('diff-summary').textContent()).toContain('1 nodes added');
    await screenshot(page, 'version-diff');

    // Roll back to v1: published again as v3.
    await page.goto(`${testbed.app.url}/versions`);
    await page.locator('[data-testid="version-row"][data-version="1"]').getByTestId('rollback').click();
    await expect.poll(() => page.getByTestId('version-row').count()).toBe(3);
    const v3 = page.locator('[data-testid="version-row"][data-version="3"]');
    expect(await v3.textContent()).toContain('rollback to v1');
    expect(await v3.textContent()).toContain('published');
    await screenshot(page, 'versions-after-rollback');

    // One of the demo conversations' executions, traced over the v1 canvas.
    await page.goto(`${testbed.app.url}/executions`);
    await expect.poll(() => page.getByTestId('execution-row').count()).toBe(6);
    await page.getByTestId('execution-row').first().locator('a').click();
    await page.getByTestId('trace-steps').waitFor();
    await expect.poll(() => page.locator('.react-flow__node.flow-highlight--visited').count()).toBe(2);
    expect(await page.getByTestId('trace-steps').textContent()).toContain('assigned to agent_');
    expect(await page.getByText('open in Temporal Web UI').count()).toBe(testbed.app.temporalUiUrl ? 1 : 0);
    await screenshot(page, 'execution-trace');

    const versions = await (await testbed.app.api(`/api/workflows/${DEMO_WORKFLOW_ID}/versions`)).json();
    const byNumber = new Map(
      versions.versions.map((v: { number: number; contentHash: string }) => [v.number, v]),
    );
    expect((byNumber.get(3) as { contentHash: string }).contentHash).toBe(
      (byNumber.get(1) as { contentHash: string }).contentHash,
    );
  });
});
