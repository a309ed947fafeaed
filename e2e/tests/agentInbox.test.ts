import { describe, expect, it } from 'vitest';
import { postInboundText } from '../../runtime/test/support/runtimeHarness';
import { screenshot } from '../support/browser';
import { runtimeInChromium } from '../support/testbed';

const testbed = runtimeInChromium();

describe('agent inbox in Chromium', () => {
  it('an assignment appears live on the page of the agent it went to', async () => {
    const page = await testbed.signedInPage('ana@demo.switchboard');
    await page.goto(`${testbed.app.url}/agents/agent_ana`);
    await expect.poll(() => page.getByTestId('agent-name').textContent()).toContain('Ana Souza');
    await expect.poll(() => page.getByTestId('socket-status').textContent()).toBe('connected');
    expect(await page.getByTestId('assignment-item').count()).toBe(0);

    const reply = await postInboundText(testbed.app.url, {
      from: '5521977776666',
      text: 'Meu pedido não chegou',
      profileName: 'Rafaela',
    });
    expect(reply.status).toBe(200);

    const item = page.getByTestId('assignment-item').first();
    await item.waitFor({ timeout: 30_000 });
    expect(await item.textContent()).toContain('Rafaela');
    expect(await item.textContent()).toContain('Meu pedido não chegou');

    // "Why was this assigned to me?" shows the explanation the assign activity stored.
    await item.getByText('Why was this assigned to me?').click();
    const explanation = item.getByTestId('assignment-explanation');
    await explanation.waitFor();
    expect(await item.getByTestId('explanation-strategy').textContent()).toContain('round');
    expect(await item.getByTestId('explanation-path').textContent()).toContain('assign_support');
    await screenshot(page, 'agent-inbox-assignment');

    // Ben was not the one chosen; his page shows nothing.
    const benPage = await testbed.signedInPage('ben@demo.switchboard');
    await benPage.goto(`${testbed.app.url}/agents/agent_ben`);
    await expect.poll(() => benPage.getByTestId('socket-status').textContent()).toBe('connected');
    expect(await benPage.getByTestId('assignment-item').count()).toBe(0);
  });

  it('the workflows page draws the published sample graph', async () => {
    const page = await testbed.signedInPage('admin@demo.switchboard');
    await page.goto(`${testbed.app.url}/`);
    await page.getByTestId('workflow-canvas').waitFor();
    await expect.poll(() => page.getByTestId('flow-node').count()).toBe(2);
    const ids = await page
      .getByTestId('flow-node')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-node-id')));
    expect(ids.sort()).toEqual(['assign_support', 'new_conversation']);
    expect(await page.getByTestId('version-number').textContent()).toContain('1');
    await screenshot(page, 'workflow-canvas');
  });
});
