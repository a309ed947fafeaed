import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventually, postInboundText } from '../../runtime/test/support/runtimeHarness';
import { screenshot } from '../support/browser';
import { runtimeInChromium } from '../support/testbed';

const CUSTOMER = '5521900000099';
const DAY_AND_AN_HOUR = 25 * 60 * 60_000;

const testbed = runtimeInChromium({ graphApiSimulator: true });

const sqlite = () => testbed.app.db.$client;

/** A conversation whose customer last wrote 25 hours ago: WhatsApp's 24-hour window is closed. */
async function staleConversation(): Promise<string> {
  expect(
    (
      await postInboundText(testbed.app.url, {
        from: CUSTOMER,
        text: 'Alguma novidade?',
        profileName: 'Diego',
      })
    ).status,
  ).toBe(200);
  const conversationId = await eventually(
    () =>
      sqlite().prepare(`SELECT id FROM conversations WHERE customer_wa_id = ?`).pluck().get(CUSTOMER) as
        | string
        | undefined,
  );
  const longAgo = Date.now() - DAY_AND_AN_HOUR;
  sqlite().prepare(`UPDATE conversations SET last_inbound_at = ? WHERE id = ?`).run(longAgo, conversationId);
  sqlite().prepare(`UPDATE messages SET sent_at = ? WHERE conversation_id = ?`).run(longAgo, conversationId);
  return conversationId;
}

const templateSendsTo = (waId: string) =>
  testbed.simulator.sent.filter((send) => {
    const body = send.body as { to?: string; type?: string };
    return body.to === waId && body.type === 'template';
  });

describe('replying outside the 24-hour window, in Chromium', () => {
  it('offers only approved templates, one input per variable with a live preview, and sends the variables in order', async () => {
    const conversationId = await staleConversation();
    const window = await (await testbed.app.api(`/api/conversations/${conversationId}/window`)).json();
    expect(window.open).toBe(false);

    // Ben is a manager: he sees every conversation, whoever it was assigned to.
    const page: Page = await testbed.signedInPage('ben@demo.switchboard');
    await page.goto(`${testbed.app.url}/inbox/${conversationId}`);
    await page.getByTestId('window-closed').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('reply-input').count()).toBe(0);
    const picker = page.getByTestId('template-picker');
    await expect.poll(() => picker.locator('option').count()).toBeGreaterThan(1);

    await picker.selectOption('order_update|en_US');
    const inputs = page.getByTestId('template-variable');
    expect(await inputs.count()).toBe(2);
    await inputs.nth(0).fill('A-1042');
    expect(await page.getByTestId('template-preview').textContent()).toBe('Your order A-1042 is now {{2}}.');

    // The second variable is empty: the API refuses it, naming the field; nothing goes to Meta.
    await page.getByTestId('send-template').click();
    await expect.poll(() => page.getByTestId('reply-status').textContent()).toContain('template.variables.1');
    expect(await inputs.nth(1).getAttribute('aria-invalid')).toBe('true');
    expect(templateSendsTo(CUSTOMER)).toEqual([]);

    await inputs.nth(1).fill('out for delivery');
    expect(await page.getByTestId('template-preview').textContent()).toBe(
      'Your order A-1042 is now out for delivery.',
    );
    await screenshot(page, 'inbox-template-picker');
    await page.getByTestId('send-template').click();
    const [sent] = await eventually(() => {
      const sends = templateSendsTo(CUSTOMER);
      return sends.length ? sends : undefined;
    });
    expect(sent?.body).toMatchObject({
      to: CUSTOMER,
      type: 'template',
      template: {
        name: 'order_update',
        language: { code: 'en_US' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'A-1042' },
              { type: 'text', text: 'out for delivery' },
            ],
          },
        ],
      },
    });
    await expect.poll(() => page.getByTestId('reply-status').textContent()).toBe('Sent');

    // A template withdrawn after the list loaded: the 422 is shown with the field it names.
    sqlite()
      .prepare(`UPDATE message_templates SET status = 'paused' WHERE name = 'satisfaction_survey'`)
      .run();
    await picker.selectOption('satisfaction_survey|en_US');
    expect(await page.getByTestId('template-variable').count()).toBe(0);
    await page.getByTestId('send-template').click();
    await expect
      .poll(() => page.getByTestId('reply-status').textContent())
      .toContain('no approved template "satisfaction_survey" in en_US (template.name)');
    expect(templateSendsTo(CUSTOMER)).toHaveLength(1);
  });
});
