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

  it('a template carries header variables and quick-reply button payloads as Cloud API components', () => {
    const driver = new ConversationDriver(
      sendThen({
        kind: 'template',
        templateName: 'delivery_slot',
        languageCode: 'en_US',
        headerVariables: ['{{contact.name}}'],
        bodyVariables: ['Tuesday'],
        buttonPayloads: ['CONFIRM', 'RESCHEDULE'],
      }),
    );
    driver.send(inboundMessage());
    expect(driver.effects[0]).toMatchObject({
      message: {
        template: {
          components: [
            { type: 'header', parameters: [{ type: 'text', text: 'Maria' }] },
            { type: 'body', parameters: [{ type: 'text', text: 'Tuesday' }] },
            {
              type: 'button',
              sub_type: 'quick_reply',
              index: '0',
              parameters: [{ type: 'payload', payload: 'CONFIRM' }],
            },
            {
              type: 'button',
              sub_type: 'quick_reply',
              index: '1',
              parameters: [{ type: 'payload', payload: 'RESCHEDULE' }],
            },
          ],
        },
      },
    });
  });

  it('a list message needs the window and keeps its sections; a text may ask for a link preview', () => {
    const list = new ConversationDriver(
      sendThen({
        kind: 'list',
        text: 'What do you need, {{contact.name}}?',
        buttonLabel: 'Topics',
        sections: [{ title: 'Billing', rows: [{ id: 'invoice', title: 'Invoice copy' }] }],
      }),
    );
    list.send(inboundMessage());
    expect(list.effects[0]).toMatchObject({
      requiresOpenWindow: true,
      message: {
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'What do you need, Maria?' },
          action: {
            button: 'Topics',
            sections: [{ title: 'Billing', rows: [{ id: 'invoice', title: 'Invoice copy' }] }],
          },
        },
      },
    });
    const preview = new ConversationDriver(
      sendThen({ kind: 'text', text: 'See https://example.com', previewUrl: true }),
    );
    preview.send(inboundMessage());
    expect(preview.effects[0]).toMatchObject({ message: { text: { preview_url: true } } });
  });
});
