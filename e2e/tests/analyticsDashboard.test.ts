import { describe, expect, it } from 'vitest';
import { handBuiltScenario } from '../../runtime/test/support/analyticsScenario';
import { screenshot } from '../support/browser';
import { analyticsServerInChromium } from '../support/testbed';

const testbed = analyticsServerInChromium(() => handBuiltScenario().db);

describe('analytics dashboard in Chromium', () => {
  it('shows the hand-built scenario’s figures, read in Berlin', async () => {
    const page = await testbed.signedInPage('admin@demo.switchboard', {
      timezoneId: 'Europe/Berlin',
    });
    await page.goto(`${testbed.server.url}/analytics?from=2026-06-01&to=2026-06-02`);
    const tile = (metric: string) => page.locator(`[data-metric="${metric}"] dd`);
    await expect.poll(() => tile('first-response').textContent()).toBe('35.0 min');
    expect(await tile('response').textContent()).toBe('33.3 min');
    expect(await tile('resolution').textContent()).toBe('2.0 h'); // 120 min reads in hours
    expect(await tile('acknowledgement').textContent()).toBe('12.5 min');
    expect(await tile('sla').textContent()).toBe('40.0 %');
    expect(await tile('backlog').textContent()).toBe('2');
    // Outbound includes the two workflow greetings, which are not responses.
    expect(await tile('messages').textContent()).toBe('4 / 5');
    expect(await tile('escalations').textContent()).toBe('4');
    expect(await tile('gini').textContent()).toBe('0.33');
    // Monday 11:00 Berlin had two inbound messages (09:00Z and 09:30Z).
    expect(await page.locator('[data-cell="Mon-11"]').getAttribute('data-count')).toBe('2');
    expect(await page.locator('[data-bar]').count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'analytics-dashboard');

    await page.selectOption('select', 'tag');
    await page.getByLabel('Filter value').fill('vip');
    await expect.poll(() => tile('first-response').textContent()).toBe('10.0 min');
    expect(await tile('sla').textContent()).toBe('50.0 %');
    await page.context().close();
  });
});
