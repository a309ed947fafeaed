import { describe, expect, it } from 'vitest';
import { screenshot } from '../support/browser';
import { runtimeInChromium } from '../support/testbed';

const testbed = runtimeInChromium();

describe('customer simulator panel in Chromium', () => {
  it('a manager taps a reply button as a customer; the message is stored as Meta would send it', async () => {
    const page = await testbed.signedInPage('admin@demo.switchboard');
    await page.goto(`${testbed.app.url}/`);
    await page.getByRole('link', { name: 'Customer simulator' }).click();
    const form = page.getByTestId('simulator-form');
    await form.waitFor();

    await form.locator('input[name="from"]').fill('5511922223333');
    await form.locator('select[name="kind"]').selectOption('button_reply');
    await form.locator('input[name="id"]').fill('talk-to-sales');
    await form.locator('input[name="title"]').fill('Talk to sales');
    await form.getByRole('button', { name: 'Send as customer' }).click();

    const sent = page.getByTestId('simulator-sent').locator('li').first();
    await sent.waitFor({ timeout: 15_000 });
    const wamid = await sent.locator('code').textContent();
    const row = testbed.app.db.$client
      .prepare(
        `SELECT m.type, m.text, m.payload, c.customer_wa_id AS customer FROM messages m
           JOIN conversations c ON c.id = m.conversation_id WHERE m.wa_message_id = ?`,
      )
      .get(wamid) as { type: string; text: string; payload: string; customer: string };
    expect(row).toMatchObject({ type: 'interactive', text: 'Talk to sales', customer: '5511922223333' });
    expect(JSON.parse(row.payload).interactive.button_reply.id).toBe('talk-to-sales');
    await screenshot(page, 'customer-simulator-sent');
  });

  it('a location out of range is refused with the field named, and nothing is sent', async () => {
    const page = await testbed.signedInPage('admin@demo.switchboard');
    await page.goto(`${testbed.app.url}/simulator`);
    const form = page.getByTestId('simulator-form');
    await form.waitFor();
    const before = testbed.app.db.$client.prepare('SELECT count(*) FROM messages').pluck().get();
    await form.locator('select[name="kind"]').selectOption('location');
    await form.locator('input[name="latitude"]').fill('123');
    await form.locator('input[name="longitude"]').fill('0');
    await form.getByRole('button', { name: 'Send as customer' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('message.latitude');
    expect(await form.locator('input[name="latitude"]').getAttribute('aria-invalid')).toBe('true');
    expect(testbed.app.db.$client.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(before);
  });
});
