import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
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
/** The workflow the rule-group test creates; the publish test publishes it as a colleague. */
let builtWorkflowId: string | null = null;

beforeAll(async () => {
  // A real customer message, so the test run has a recorded event to replay.
  const sent = await postInboundText(testbed.app.url, {
    from: '5511944443333',
    text: 'Preciso de ajuda com a fatura',
    profileName: 'Carla',
  });
  expect(sent.status).toBe(200);
  await eventually(async () => {
    const reply = await testbed.app.api('/api/editor/recorded-events');
    const { events } = (await reply.json()) as { events: Array<{ label: string }> };
    return events.find((event) => event.label.startsWith('Carla')) ? true : undefined;
  });
});

async function openEditor(workflowPath: string): Promise<Page> {
  const page = await testbed.signedInPage('emma@demo.switchboard');
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(`${testbed.app.url}${workflowPath}`);
  return page;
}

/** Emma creates an empty workflow from the list; the editor opens on its draft. */
async function createWorkflow(name: string): Promise<{ page: Page; workflowId: string }> {
  const page = await openEditor('/workflows');
  await page.getByTestId('new-workflow-name').fill(name);
  await page.getByTestId('create-workflow').click();
  await page.getByTestId('editor-canvas').waitFor();
  const workflowId = /\/workflows\/(wf_[0-9a-f]+)\/edit$/.exec(page.url())?.[1];
  if (!workflowId) throw new Error(`not an editor URL: ${page.url()}`);
  return { page, workflowId };
}

/** Picks Carla's recorded message in the test-run panel and runs the draft against it. */
async function runRecordedEvent(page: Page) {
  await page.getByTestId('tab-test').click();
  const source = page.getByTestId('dry-run-source');
  const carla = source.locator('option', { hasText: 'Carla' });
  await expect.poll(() => carla.count()).toBe(1);
  expect(await carla.textContent()).toContain('fatura');
  await source.selectOption((await carla.getAttribute('value')) ?? '');
  await page.getByTestId('dry-run-start').click();
  await page.getByTestId('dry-run-result').waitFor();
}

const trailOf = (page: Page, id: string) =>
  node(page, id).getByTestId('editor-node').getAttribute('data-trail');
const saveStatus = (page: Page) => page.getByTestId('save-status').textContent();

describe('workflow editor forms and test runs in Chromium', () => {
  it('a test run replays a recorded WhatsApp message: the path lights up and the assignment is explained', async () => {
    const page = await openEditor(`/workflows/${DEMO_WORKFLOW_ID}/edit`);
    await page.getByTestId('editor-canvas').waitFor();
    await expect.poll(() => page.getByTestId('editor-node').count()).toBe(2);

    await runRecordedEvent(page);

    await expect.poll(() => trailOf(page, 'new_conversation')).toBe('passed');
    expect(await trailOf(page, 'assign_support')).toBe('passed');
    expect(await page.locator('.react-flow__edge.edge--trail').count()).toBe(1);
    const steps = page.getByTestId('dry-run-step');
    // The assign node shows twice: once asking for an agent, once with the runtime's answer.
    const visited = await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')));
    expect([...new Set(visited)]).toEqual(['new_conversation', 'assign_support']);
    const assignment = page.getByTestId('dry-run-assignment');
    expect(await assignment.count()).toBe(1);
    // The runtime decided with the demo's live agents: the explanation names the strategy and the team.
    expect(await assignment.textContent()).toMatch(/^Round.robin in Support: /);
    expect(await assignment.locator('li').count()).toBeGreaterThan(0);
    await screenshot(page, 'workflow-editor-recorded-dry-run');
  });

  it('a manager builds a nested AND/OR rule group with the form; the draft autosaves it and the test run follows it', async () => {
    const { page, workflowId } = await createWorkflow('Billing in Portuguese');
    builtWorkflowId = workflowId;
    const draftPuts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PUT' && request.url().endsWith(`/api/workflows/${workflowId}/draft`)) {
        draftPuts.push(request.url());
      }
    });

    await dropFromPalette(page, 'trigger.newConversation', 120, 160);
    await dropFromPalette(page, 'condition.if', 420, 160);
    await dropFromPalette(page, 'assign', 720, 160);
    await layoutAndFit(page);
    await connect(page, 'newConversation_1', 'out', 'if_1');
    await connect(page, 'if_1', 'true', 'assign_1');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);
    await select(page, 'assign_1');
    await field(page, 'teamId').selectOption('team_support');

    // The If node opens on an empty AND group, and the schema's complaint sits where the rules go.
    await select(page, 'if_1');
    const top = inspector(page).locator('[data-testid="rule-group"][data-path="group"]');
    expect(await top.getAttribute('data-combinator')).toBe('and');
    expect(await top.getByTestId('field-error').last().textContent()).toContain('add a rule');
    expect(await inspector(page).locator('textarea.json-field').count()).toBe(0);

    // Rule 1: the message mentions "fatura". Until a value is typed, the row says what is missing.
    await inspector(page).getByTestId('add-rule-group').click();
    expect(await field(page, 'group.rules.0.field').inputValue()).toBe('message.text');
    await field(page, 'group.rules.0.operator').selectOption('contains');
    const firstRow = inspector(page).locator('[data-testid="rule-row"][data-path="group.rules.0"]');
    await expect.poll(() => firstRow.getByTestId('field-error').textContent()).toContain('enter a value');

    // Typing autosaves once after the pause, not once per key.
    await expect.poll(() => saveStatus(page), { timeout: 10_000 }).toBe('All changes saved');
    const putsBeforeTyping = draftPuts.length;
    await field(page, 'group.rules.0.value').pressSequentially('fatura', { delay: 40 });
    await expect.poll(() => saveStatus(page), { timeout: 10_000 }).toBe('All changes saved');
    expect(draftPuts.length - putsBeforeTyping).toBe(1);
    expect(await firstRow.getByTestId('field-error').count()).toBe(0);

    // Rule 2: a nested group, (priority is normal OR tags contain vip); it starts as OR inside AND.
    await inspector(page).getByTestId('add-group-group').click();
    const nested = inspector(page).locator('[data-testid="rule-group"][data-path="group.rules.1"]');
    expect(await nested.getAttribute('data-combinator')).toBe('or');
    await field(page, 'group.rules.1.rules.0.field').selectOption('conversation.priority');
    // Priorities are a closed list: the operators are those for text, the value a select.
    await field(page, 'group.rules.1.rules.0.operator').selectOption('equals');
    const priorityValue = field(page, 'group.rules.1.rules.0.value');
    expect(await priorityValue.evaluate((el) => el.tagName)).toBe('SELECT');
    await priorityValue.selectOption('normal');
    await inspector(page).getByTestId('add-rule-group.rules.1').click();
    await field(page, 'group.rules.1.rules.1.field').selectOption('conversation.tags');
    const tagOperators = await field(page, 'group.rules.1.rules.1.operator')
      .locator('option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(tagOperators).not.toContain('equals');
    await field(page, 'group.rules.1.rules.1.operator').selectOption('contains');
    await field(page, 'group.rules.1.rules.1.value').fill('vip');
    // The conversation's age takes minutes, hours or days.
    await inspector(page).getByTestId('add-rule-group.rules.1').click();
    await field(page, 'group.rules.1.rules.2.field').selectOption('conversation.ageMinutes');
    await field(page, 'group.rules.1.rules.2.operator').selectOption('greater_than');
    await inspector(page).getByLabel('Value unit').selectOption('days');
    await field(page, 'group.rules.1.rules.2.value').fill('2');
    await screenshot(page, 'workflow-editor-rule-group-form');

    await expect.poll(() => saveStatus(page), { timeout: 10_000 }).toBe('All changes saved');
    expect(await inspector(page).getByTestId('field-error').count()).toBe(0);
    expect(
      await node(page, 'if_1').locator('[data-testid="node-badge"][data-severity="error"]').count(),
    ).toBe(0);
    const saved = await (await testbed.app.api(`/api/workflows/${workflowId}/draft`)).json();
    expect(saved.graph.nodes.find((n: { id: string }) => n.id === 'if_1').config).toEqual({
      group: {
        combinator: 'and',
        rules: [
          { field: 'message.text', operator: 'contains', value: 'fatura' },
          {
            combinator: 'or',
            rules: [
              { field: 'conversation.priority', operator: 'equals', value: 'normal' },
              { field: 'conversation.tags', operator: 'contains', value: 'vip' },
              { field: 'conversation.ageMinutes', operator: 'greater_than', value: 2 * 24 * 60 },
            ],
          },
        ],
      },
    });

    // Carla wrote about her "fatura" in a normal-priority conversation: the rules hold, she is assigned.
    await runRecordedEvent(page);
    await expect.poll(() => trailOf(page, 'assign_1')).toBe('passed');
    const ifStep = page.locator('[data-testid="dry-run-step"][data-node-id="if_1"]');
    expect(await ifStep.locator('code').textContent()).toBe('true');
    expect(await page.getByTestId('dry-run-assignment').count()).toBe(1);
    await screenshot(page, 'workflow-editor-rule-group-dry-run');

    // A sample message in English does not mention it: the If goes the other way and nobody is assigned.
    await page.getByTestId('dry-run-source').selectOption('sample');
    await page.getByTestId('dry-run-text').fill('Hi, my invoice is wrong');
    await page.getByTestId('dry-run-start').click();
    await expect.poll(() => ifStep.locator('code').textContent()).toBe('false');
    expect(await trailOf(page, 'assign_1')).toBeNull();
    expect(await page.getByTestId('dry-run-assignment').count()).toBe(0);

    // Switching the nested group to AND is one click, and it is saved like any other edit.
    await page.getByTestId('tab-inspector').click();
    await nested.getByRole('button', { name: 'all (AND)' }).first().click();
    await expect.poll(() => saveStatus(page), { timeout: 10_000 }).toBe('All changes saved');
    const resaved = await (await testbed.app.api(`/api/workflows/${workflowId}/draft`)).json();
    expect(
      resaved.graph.nodes.find((n: { id: string }) => n.id === 'if_1').config.group.rules[1].combinator,
    ).toBe('and');
  });

  it('publishing is an edit: the workflow list and the toolbar name whoever published last', async () => {
    if (!builtWorkflowId) throw new Error('the rule-group test did not create its workflow');
    const ben = await testbed.signedInPage('ben@demo.switchboard');
    await ben.setViewportSize({ width: 1600, height: 1000 });
    await ben.goto(`${testbed.app.url}/workflows`);
    const facts = ben.getByRole('button', { name: /Billing in Portuguese/ }).getByTestId('workflow-facts');
    await expect
      .poll(() => facts.textContent())
      .toMatch(/^unpublished · 0 executions · edited .* by Emma Schmidt$/);

    // Ben publishes Emma's draft as it is: no draft save of his, only the publish.
    await ben.goto(`${testbed.app.url}/workflows/${builtWorkflowId}/edit`);
    await ben.getByTestId('editor-canvas').waitFor();
    await ben.getByTestId('publish-note').fill('Portuguese billing questions to Support');
    await ben.getByTestId('publish').click();
    await expect
      .poll(() => ben.getByTestId('publish-message').textContent())
      .toContain('Published version 1');
    expect(await ben.getByTestId('last-edited').textContent()).toContain('Ben Carter');

    await ben.goto(`${testbed.app.url}/workflows`);
    await expect.poll(() => facts.textContent()).toMatch(/^v1 · 0 executions · edited .* by Ben Carter$/);
  });

  it('switch cases, HTTP headers, people to notify and closed days are forms too', async () => {
    const { page, workflowId } = await createWorkflow('Forms tour');
    await dropFromPalette(page, 'condition.switch', 150, 150);
    await dropFromPalette(page, 'action.httpRequest', 450, 150);
    await dropFromPalette(page, 'action.notify', 150, 450);
    await dropFromPalette(page, 'condition.businessHours', 450, 450);
    await layoutAndFit(page);

    // A switch on priority: the case's operators are those for text, its values the priorities.
    await select(page, 'switch_1');
    await field(page, 'field').selectOption('conversation.priority');
    await inspector(page).getByTestId('add-cases').click();
    await field(page, 'cases.0.id').fill('pressing');
    await field(page, 'cases.0.label').fill('Pressing');
    const operators = await field(page, 'cases.0.operator')
      .locator('option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(operators).toContain('in');
    expect(operators).not.toContain('greater_than');
    await field(page, 'cases.0.operator').selectOption('equals');
    await field(page, 'cases.0.value').selectOption('high');
    // Widening "is" to "is one of" keeps the priority already chosen, now as the first of a list.
    await field(page, 'cases.0.operator').selectOption('in');
    expect(await field(page, 'cases.0.value').getByLabel('high', { exact: true }).isChecked()).toBe(true);
    await field(page, 'cases.0.value').getByLabel('urgent', { exact: true }).check();

    await select(page, 'httpRequest_1');
    await field(page, 'url').fill('https://crm.example.com/hooks/whatsapp');
    await inspector(page).getByTestId('add-headers').click();
    await field(page, 'headers.0.name').fill('X-Token');
    await field(page, 'headers.0.value').fill('s3cret');

    await select(page, 'notify_1');
    await field(page, 'title').fill('A pressing conversation');
    await field(page, 'to.kind').selectOption('agents');
    await field(page, 'to.agentIds').getByLabel('Ana Souza').check();

    await select(page, 'businessHours_1');
    await field(page, 'timeZone').selectOption('Europe/Lisbon');
    const closedDay = inspector(page).getByTestId('chip-input-holidays');
    expect(await closedDay.getAttribute('type')).toBe('date');
    await closedDay.fill('2026-12-25');
    await closedDay.press('Enter');

    await expect.poll(() => saveStatus(page), { timeout: 10_000 }).toBe('All changes saved');
    const saved = await (await testbed.app.api(`/api/workflows/${workflowId}/draft`)).json();
    const configOf = (id: string) => saved.graph.nodes.find((n: { id: string }) => n.id === id).config;
    expect(configOf('switch_1')).toEqual({
      field: 'conversation.priority',
      cases: [{ id: 'pressing', label: 'Pressing', operator: 'in', value: ['high', 'urgent'] }],
    });
    expect(configOf('httpRequest_1')).toMatchObject({ headers: { 'X-Token': 's3cret' } });
    expect(configOf('notify_1').to).toEqual({ kind: 'agents', agentIds: ['agent_ana'] });
    expect(configOf('businessHours_1').holidays).toEqual(['2026-12-25']);
    // Nothing the forms wrote is refused by the node schemas.
    for (const id of ['switch_1', 'httpRequest_1', 'notify_1', 'businessHours_1']) {
      expect(
        await node(page, id).locator('[data-testid="node-badge"][data-severity="error"]').count(),
        id,
      ).toBe(0);
    }
  });
});
