import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { conversation, scenarioDatabase } from '../../runtime/test/support/analyticsScenario';
import { screenshot } from '../support/browser';
import { analyticsServerInChromium } from '../support/testbed';

// Team "support", number bn1 and a conversation tagged vip fill the page's selects; demo-domain
// people get the demo password when the server starts.
const testbed = analyticsServerInChromium(() => {
  const db = scenarioDatabase();
  conversation(db, 'c1', { openedAt: Date.UTC(2026, 5, 1, 9), assignee: 'ana', tags: ['vip'] });
  db.$client.exec(`
    INSERT INTO agents (id, name, email, role) VALUES
      ('maya', 'Maya Manager', 'maya@demo.switchboard', 'manager'),
      ('arno', 'Arno Agent', 'arno@demo.switchboard', 'agent');
  `);
  return db;
});

async function csrfOf(page: Page): Promise<string> {
  const cookie = (await page.context().cookies()).find((c) => c.name === 'sb_csrf');
  return decodeURIComponent(cookie?.value ?? '');
}

describe('SLA policies page in Chromium', () => {
  it('a manager creates a policy through the form; the API returns it', async () => {
    const page = await testbed.signedInPage('maya@demo.switchboard');
    await page.goto(`${testbed.server.url}/analytics/sla`);
    await page.getByRole('link', { name: 'SLA policies' }).waitFor();
    await page.getByText('No policies yet').waitFor();
    await page.getByRole('button', { name: 'New policy' }).click();

    const form = page.getByRole('form', { name: 'New SLA policy' });
    await form.getByLabel('Name').fill('VIP support');
    // The options come from GET /api/editor/lookups: picking them fails if they were not loaded.
    await form.getByLabel('Team', { exact: true }).selectOption('support');
    await form.getByLabel('Tag', { exact: true }).selectOption('vip');
    await form.getByLabel('Business number').selectOption('bn1');
    await form.getByLabel('Priority').selectOption('high');
    await form.getByLabel('First response').fill('15');
    await form.getByLabel('Next response').fill('30');
    await form.getByLabel('Resolution').fill('480');
    await form.getByLabel('Count business hours only').check();
    await form.getByLabel('Time zone').fill('Europe/Berlin');
    await form.getByLabel('Friday to').fill('13:00');
    await form.getByLabel('Saturday', { exact: true }).check();
    await form.getByLabel('Saturday from').fill('10:00');
    await form.getByLabel('Saturday to').fill('12:00');
    await form.getByLabel('Holidays').fill('2026-12-25\n2026-12-26');

    // The API's 400 is shown beside the field it names, and nothing is saved.
    await form.getByLabel('Warn at').fill('150');
    await form.getByRole('button', { name: 'Save policy' }).click();
    const warnError = form.locator('[data-field-error="warnAtPercent"]');
    await warnError.waitFor();
    expect(await warnError.textContent()).toMatch(/99/);
    expect((await (await page.request.get('/api/sla/policies')).json()).policies).toEqual([]);

    await form.getByLabel('Warn at').fill('75');
    await form.getByRole('button', { name: 'Save policy' }).click();
    const row = page.locator('[data-policy="VIP support"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('team Support, tag vip, number bn1');
    await screenshot(page, 'sla-policies');

    const reply = await page.request.get('/api/sla/policies');
    expect(reply.status()).toBe(200);
    const { policies } = await reply.json();
    expect(policies).toHaveLength(1);
    expect(policies[0]).toMatchObject({
      name: 'VIP support',
      match: { priority: 'high', teamId: 'support', tag: 'vip', businessNumberId: 'bn1' },
      firstResponseMinutes: 15,
      nextResponseMinutes: 30,
      resolutionMinutes: 480,
      warnAtPercent: 75,
      enabled: true,
      businessHours: {
        timeZone: 'Europe/Berlin',
        weekly: [
          { day: 1, start: '09:00', end: '17:00' },
          { day: 2, start: '09:00', end: '17:00' },
          { day: 3, start: '09:00', end: '17:00' },
          { day: 4, start: '09:00', end: '17:00' },
          { day: 5, start: '09:00', end: '13:00' },
          { day: 6, start: '10:00', end: '12:00' },
        ],
        holidays: ['2026-12-25', '2026-12-26'],
      },
    });

    // Editing goes through PUT: the form opens filled in from the stored policy.
    await row.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit SLA policy' });
    expect(await edit.getByLabel('Friday to').inputValue()).toBe('13:00');
    await edit.getByLabel('First response').fill('20');
    await edit.getByRole('button', { name: 'Save policy' }).click();
    await edit.waitFor({ state: 'detached' });
    const edited = (await (await page.request.get('/api/sla/policies')).json()).policies;
    expect(
      edited.map((p: { id: string; firstResponseMinutes: number }) => [p.id, p.firstResponseMinutes]),
    ).toEqual([[policies[0].id, 20]]);
    await page.context().close();
  });

  it('an agent sees the policies but cannot create one (403) and gets no link or form', async () => {
    const page = await testbed.signedInPage('arno@demo.switchboard');
    await page.goto(`${testbed.server.url}/analytics/sla`);
    await page.locator('[data-policy="VIP support"]').waitFor();
    expect(await page.getByRole('link', { name: 'SLA policies' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'New policy' }).count()).toBe(0);

    const refused = await page.request.post('/api/sla/policies', {
      data: { name: 'Mine', firstResponseMinutes: 5 },
      headers: { 'x-csrf-token': await csrfOf(page) },
    });
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.code).toBe('forbidden');
    const { policies } = await (await page.request.get('/api/sla/policies')).json();
    expect(policies.map((p: { name: string }) => p.name)).toEqual(['VIP support']);
    await page.context().close();
  });

  it('a manager deletes the policy from the list', async () => {
    const page = await testbed.signedInPage('maya@demo.switchboard');
    await page.goto(`${testbed.server.url}/analytics/sla`);
    const row = page.locator('[data-policy="VIP support"]');
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await (await page.request.get('/api/sla/policies')).json()).policies).toEqual([]);
    await page.context().close();
  });
});
