import { describe, expect, it } from 'vitest';
import { chain, conversationFacts, inboundMessage } from '../../testing/builders';
import { ConversationDriver } from '../../testing/drive';

describe('internal note', () => {
  it('renders placeholders and collects @mentions from the text and the config', () => {
    const driver = new ConversationDriver(
      chain(
        { id: 'start', type: 'trigger.newConversation' },
        {
          id: 'note',
          type: 'action.note',
          config: {
            text: 'VIP {{contact.name}} wrote: {{message.text}} — @agent_ben',
            mentions: ['agent_emma'],
          },
        },
      ),
    );
    driver.send(
      inboundMessage({
        text: 'Quero cancelar',
        facts: conversationFacts({ contact: { name: 'Lia', language: null, fields: {} } }),
      }),
    );
    expect(driver.effects).toEqual([
      expect.objectContaining({
        type: 'note',
        text: 'VIP Lia wrote: Quero cancelar — @agent_ben',
        mentions: ['agent_emma', 'agent_ben'],
      }),
    ]);
  });
});
