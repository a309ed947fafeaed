import { describe, expect, it } from 'vitest';
import { chain, inboundMessage } from '../../testing/builders';
import { ConversationDriver } from '../../testing/drive';

const sendThen = (config: Record<string, unknown>) =>
  chain(
    { id: 'start', type: 'trigger.newConversation' },
    { id: 'send', type: 'action.sendWhatsApp', config },
  );

describe('send WhatsApp message', () => {
  it('a free-form text needs the 24-hour window; "sent" when the Cloud API returns an id', () => {
    const driver = new ConversationDriver(
      sendThen({ kind: 'text', text: 'Olá {{contact.name}}, já vamos te atender!' }),
    );
    driver.send(inboundMessage());
    expect(driver.effects).toEqual([
      expect.objectContaining({
        type: 'sendWhatsApp',
        requiresOpenWindow: true,
        message: { type: 'text', text: { body: 'Olá Maria, já vamos te atender!' } },
      }),
    ]);
    driver.answer({ type: 'sendWhatsApp', waMessageId: 'wamid.OUT1', refusedReason: null });
    expect(driver.trail.at(-1)).toBe('send→sent');
  });

  it('a template may go out any time and carries its body variables', () => {
    const driver = new ConversationDriver(
      sendThen({
        kind: 'template',
        templateName: 'order_update',
        languageCode: 'pt_BR',
        bodyVariables: ['{{contact.name}}'],
      }),
    );
    driver.send(inboundMessage());
    expect(driver.effects[0]).toMatchObject({
      requiresOpenWindow: false,
      message: {
        type: 'template',
        template: {
          name: 'order_update',
          language: { code: 'pt_BR' },
          components: [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] }],
        },
      },
    });
  });

  it('refused outside the window → "failed"', () => {
    const driver = new ConversationDriver(
      sendThen({ kind: 'buttons', text: 'Sales or support?', buttons: [{ id: 'sales', title: 'Sales' }] }),
    );
    driver.send(inboundMessage());
    driver.answer({ type: 'sendWhatsApp', waMessageId: null, refusedReason: 'outside the 24-hour window' });
    expect(driver.trail.at(-1)).toBe('send→failed');
  });
});
