import { describe, expect, it } from 'vitest';
import { DEMO_WORKFLOW_ID } from '../../runtime/src/demo/seedDemo';
import { eventually, postInboundText } from '../../runtime/test/support/runtimeHarness';
import { screenshot } from '../support/browser';
import { runtimeInChromium } from '../support/testbed';
import {
  connect,
  dropFromPalette,
  field,
  inspector,
  layoutAndFit,
  node,
  select,
} from '../support/workflowEditorPage';

const testbed = runtimeInChromium();

describe('workflow editor in Chromium', () => {
  it('a manager draws, checks, test-runs and publishes a routing workflow, and the next message follows it', async () => {
    const page = await testbed.signedInPage('emma@demo.switchboard');
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.goto(`${testbed.app.url}/workflows/${DEMO_WORKFLOW_ID}/edit`);
    await page.getByTestId('editor-canvas').waitFor();
    await expect.poll(() => page.getByTestId('editor-node').count()).toBe(2);

    // Start from an empty canvas.
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await expect.poll(() => page.getByTestId('editor-node').count()).toBe(0);

    await dropFromPalette(page, 'trigger.newConversation', 120, 120);
    await dropFromPalette(page, 'condition.businessHours', 420, 120);
    await dropFromPalette(page, 'assign', 720, 80);
    await dropFromPalette(page, 'assign', 720, 380);
    await dropFromPalette(page, 'flow.waitForAcknowledgement', 120, 520);
    await dropFromPalette(page, 'flow.escalationLadder', 420, 620);
    const ids = await page
      .getByTestId('editor-node')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')));
    expect(ids).toEqual([
      'newConversation_1',
      'businessHours_1',
      'assign_1',
      'assign_2',
      'waitForAcknowledgement_1',
      'escalationLadder_1',
    ]);
    await layoutAndFit(page);

    await connect(page, 'newConversation_1', 'out', 'businessHours_1');
    await connect(page, 'businessHours_1', 'open', 'assign_1');
    await connect(page, 'businessHours_1', 'closed', 'assign_2');
    await connect(page, 'assign_1', 'unassigned', 'assign_2');
    await connect(page, 'assign_1', 'assigned', 'waitForAcknowledgement_1');
    await connect(page, 'assign_2', 'assigned', 'waitForAcknowledgement_1');
    await connect(page, 'waitForAcknowledgement_1', 'timeout', 'escalationLadder_1');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(7);

    // A second edge out of one output is refused, with the reason.
    await connect(page, 'businessHours_1', 'open', 'escalationLadder_1');
    await expect.poll(() => page.getByTestId('editor-notice').textContent()).toContain('already leads');
    expect(await page.locator('.react-flow__edge').count()).toBe(7);
    await layoutAndFit(page);

    // Zoomed far out, the seven edges are drawn in one layer under the cards; fitted again, they
    // are React Flow's own edges once more.
    for (let i = 0; i < 10; i += 1) await page.locator('.react-flow__controls-zoomout').click();
    await expect.poll(() => page.locator('[data-testid="zoomed-out-edges"] path').count()).toBe(7);
    expect(await page.locator('.react-flow__edge').count()).toBe(0);
    await page.locator('.react-flow__controls .fit-all').click();
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(7);
    expect(await page.getByTestId('zoomed-out-edges').count()).toBe(0);

    // Configure every node.
    await select(page, 'newConversation_1');
    await inspector(page).locator('[data-field="label"]').fill('New conversation');

    await select(page, 'assign_1');
    await field(page, 'strategy').selectOption('skill_match');
    await field(page, 'teamId').selectOption('team_support');
    await inspector(page).getByTestId('add-skills').click();
    await field(page, 'skills.0.skill').fill('billing');
    await inspector(page).locator('[data-field="label"]').fill('Assign by skill');

    await select(page, 'assign_2');
    await field(page, 'teamId').selectOption('team_support');
    await inspector(page).locator('[data-field="label"]').fill('Round-robin');

    await select(page, 'waitForAcknowledgement_1');
    await field(page, 'waitFor').selectOption('acknowledgement');
    await field(page, 'timeoutMinutes').fill('15');

    await select(page, 'escalationLadder_1');
    await field(page, 'teamId').selectOption('team_support');

    // The business hours still lack a time zone: the badge, the problems panel and publish all say so.
    const badge = node(page, 'businessHours_1').getByTestId('node-badge');
    expect(await badge.getAttribute('data-severity')).toBe('error');
    await page.getByTestId('publish').click();
    await expect.poll(() => page.getByTestId('publish-message').textContent()).toContain('Fix the errors');
    const problem = page.locator('[data-testid="problem"][data-node-id="businessHours_1"]').first();
    expect(await problem.textContent()).toMatch(/time zone/);
    await screenshot(page, 'workflow-editor-validation-error');

    // Clicking the problem focuses the node; the inspector shows the field's error and takes the fix.
    await problem.click();
    await page.getByTestId('tab-inspector').click();
    await expect.poll(() => inspector(page).getAttribute('data-node-id')).toBe('businessHours_1');
    expect(await inspector(page).getByTestId('field-error').first().textContent()).toMatch(/time zone/);
    await field(page, 'timeZone').selectOption('Europe/Lisbon');
    // Open around the clock, so the routed message below takes the "open" branch whatever the hour.
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) {
      const open = inspector(page).getByLabel(`${day} open`);
      if (!(await open.isChecked())) await open.check();
      await inspector(page).getByLabel(`${day} from`).fill('00:00');
      await inspector(page).getByLabel(`${day} to`).fill('00:00');
    }
    await expect.poll(() => badge.count()).toBe(0);
    await page.getByTestId('tab-problems').click();
    await expect.poll(() => page.getByTestId('problem-count').textContent()).toContain('0 errors');

    // Test run: the draft, a sample message, nothing sent; the path lights up with the assignment.
    await page.getByTestId('tab-test').click();
    await page.getByTestId('dry-run-text').fill('My invoice is wrong');
    await page.getByTestId('dry-run-start').click();
    const assignment = page.getByTestId('dry-run-assignment').first();
    await assignment.waitFor();
    expect(await assignment.textContent()).toMatch(/skill/);
    expect(await node(page, 'assign_1').getByTestId('editor-node').getAttribute('data-trail')).toBe('passed');
    await expect.poll(() => page.getByTestId('dry-run-step').count()).toBeGreaterThan(3);
    await screenshot(page, 'workflow-editor-dry-run');

    // The draft autosaves; publish with a note.
    await expect
      .poll(() => page.getByTestId('save-status').textContent(), { timeout: 10_000 })
      .toBe('All changes saved');
    await page.getByTestId('publish-note').fill('Skill routing in business hours, escalate after 15 min');
    await page.getByTestId('publish').click();
    await expect
      .poll(() => page.getByTestId('publish-message').textContent())
      .toContain('Published version 2');
    await screenshot(page, 'workflow-editor-published');

    // A signed WhatsApp message now runs through version 2 and is assigned by the skill node.
    const sent = await postInboundText(testbed.app.url, {
      from: '5511955554444',
      text: 'Minha fatura está errada',
      profileName: 'Bruna',
    });
    expect(sent.status).toBe(200);
    const sqlite = testbed.app.db.$client;
    const routed = await eventually(
      () =>
        sqlite
          .prepare<[], { agent_id: string | null; node_id: string; number: number }>(
            `SELECT a.agent_id, a.node_id, v.number FROM assignments a
               JOIN workflow_versions v ON v.id = a.workflow_version_id ORDER BY a.created_at DESC LIMIT 1`,
          )
          .get(),
      60_000,
    );
    expect(routed).toMatchObject({ node_id: 'assign_1', number: 2 });
    expect(['agent_ana', 'agent_chloe']).toContain(routed.agent_id);

    const agentEmail = sqlite
      .prepare<[string], { email: string }>('SELECT email FROM agents WHERE id = ?')
      .get(routed.agent_id ?? '')?.email;
    if (!agentEmail) throw new Error(`no e-mail for the routed agent ${routed.agent_id}`);
    const agentPage = await testbed.signedInPage(agentEmail);
    await agentPage.setViewportSize({ width: 1280, height: 900 });
    await agentPage.goto(`${testbed.app.url}/agents/${routed.agent_id}`);
    const item = agentPage.getByTestId('assignment-item').first();
    await item.waitFor({ timeout: 30_000 });
    expect(await item.textContent()).toContain('Bruna');
    await item.getByText('Why was this assigned to me?').click();
    expect(await item.getByTestId('explanation-path').textContent()).toContain('assign_1');
    await screenshot(agentPage, 'workflow-editor-routed-assignment');
  });

  it('two managers on one draft: the stale save is refused with a clear message, and shortcuts edit the canvas', async () => {
    // Two managers of the demo: Emma creates the workflow, Ben opens the same draft.
    const alice = await testbed.signedInPage('emma@demo.switchboard');
    await alice.setViewportSize({ width: 1600, height: 1000 });
    await alice.goto(`${testbed.app.url}/workflows`);
    await alice.getByTestId('new-workflow-name').fill('Night shift');
    await alice.getByTestId('create-workflow').click();
    await alice.getByTestId('editor-canvas').waitFor();
    const editorUrl = alice.url();
    expect(editorUrl).toMatch(/\/workflows\/wf_[0-9a-f]+\/edit$/);

    const bruno = await testbed.signedInPage('ben@demo.switchboard');
    await bruno.setViewportSize({ width: 1600, height: 1000 });
    await bruno.goto(editorUrl);
    await bruno.getByTestId('editor-canvas').waitFor();

    // Alice adds a trigger by clicking the palette; her draft autosaves.
    await alice.locator('[data-testid="palette-item"][data-node-type="trigger.manual"]').click();
    await expect
      .poll(() => alice.getByTestId('save-status').textContent(), { timeout: 10_000 })
      .toBe('All changes saved');

    // Bruno still edits the revision he opened: his save is refused, naming what happened.
    await bruno.locator('[data-testid="palette-item"][data-node-type="flow.end"]').click();
    await bruno.getByTestId('save-draft').click();
    await expect
      .poll(() => bruno.getByTestId('save-status').textContent())
      .toMatch(/saved by Emma Schmidt since you opened it/);
    await screenshot(bruno, 'workflow-editor-conflict');

    // Shortcuts: copy and paste the selected node, undo the paste, redo it.
    await bruno.locator('.react-flow__node[data-id="end_1"] .editor-node-title').click();
    await bruno.keyboard.press('Control+c');
    await bruno.keyboard.press('Control+v');
    await expect.poll(() => bruno.getByTestId('editor-node').count()).toBe(2);
    await bruno.keyboard.press('Control+z');
    await expect.poll(() => bruno.getByTestId('editor-node').count()).toBe(1);
    await bruno.keyboard.press('Control+Shift+z');
    await expect.poll(() => bruno.getByTestId('editor-node').count()).toBe(2);

    // He keeps his version on purpose; Alice, reloading, sees it and who saved it.
    await bruno.getByRole('button', { name: 'Keep mine' }).click();
    await expect.poll(() => bruno.getByTestId('save-status').textContent()).toBe('All changes saved');
    await alice.reload();
    await expect.poll(() => alice.getByTestId('editor-node').count()).toBe(2);
    expect(await alice.getByTestId('last-edited').textContent()).toContain('Ben Carter');

    await alice.goto(`${testbed.app.url}/workflows`);
    const facts = alice.getByRole('button', { name: /Night shift/ }).getByTestId('workflow-facts');
    await expect
      .poll(() => facts.textContent())
      .toMatch(/unpublished · 0 executions · edited .* by Ben Carter/);
  });

  it('a large draft is checked in a Web Worker: its problems reach the panel, and a fix clears one', async () => {
    const page = await testbed.signedInPage('emma@demo.switchboard');
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.goto(`${testbed.app.url}/workflows`);
    await page.getByTestId('new-workflow-name').fill('Large queue');
    await page.getByTestId('create-workflow').click();
    await page.getByTestId('editor-canvas').waitFor();
    const workflowId = /\/workflows\/(wf_[0-9a-f]+)\/edit$/.exec(page.url())?.[1];
    // 400 business-hours checks without a time zone, past the size validated off the main thread.
    const saved = await page.evaluate(async (id) => {
      const nodes = Array.from({ length: 400 }, (_, i) => ({
        id: `hours_${i}`,
        type: 'condition.businessHours',
        typeVersion: 1,
        position: { x: (i % 20) * 300, y: Math.floor(i / 20) * 200 },
        config: {},
      }));
      const { revision } = await (await fetch(`/api/workflows/${id}/draft`)).json();
      const csrf = /(?:^|;\s*)sb_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? '';
      const reply = await fetch(`/api/workflows/${id}/draft`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
        body: JSON.stringify({ graph: { nodes, edges: [] }, revision, editedBy: 'Emma' }),
      });
      return reply.status;
    }, workflowId);
    expect(saved).toBe(200);
    await page.reload();
    await page.getByTestId('editor-canvas').waitFor();
    await page.getByTestId('tab-problems').click();
    const timeZoneProblems = page.locator('[data-testid="problem"]', { hasText: /time zone/ });
    await expect.poll(() => timeZoneProblems.count(), { timeout: 15_000 }).toBe(400);
    const workers = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((entry) => entry.name)
        .filter((name) => /validationWorker/.test(name)),
    );
    expect(workers).toHaveLength(1);

    // A fix on one node: the worker's next answer drops its problem.
    await page.locator('[data-testid="problem"][data-node-id="hours_7"]').first().click();
    await page.getByTestId('tab-inspector').click();
    await expect.poll(() => inspector(page).getAttribute('data-node-id')).toBe('hours_7');
    await field(page, 'timeZone').selectOption('Europe/Lisbon');
    await page.getByTestId('tab-problems').click();
    await expect.poll(() => timeZoneProblems.count(), { timeout: 15_000 }).toBe(399);
    expect(
      await page.locator('[data-testid="problem"][data-node-id="hours_7"]', { hasText: /time zone/ }).count(),
    ).toBe(0);
  });
});
