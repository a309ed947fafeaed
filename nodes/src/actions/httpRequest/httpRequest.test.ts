import { describe, expect, it } from 'vitest';
import { chain, inboundMessage } from '../../testing/builders';
import { ConversationDriver } from '../../testing/drive';

describe('HTTP request', () => {
  it('renders the body, then leaves through success or failure by the status', () => {
    const graph = chain(
      { id: 'start', type: 'trigger.newConversation' },
      {
        id: 'crm',
        type: 'action.httpRequest',
        config: { url: 'https://crm.example.com/hook', body: '{"phone":"{{contact.waId}}"}' },
      },
    );
    const ok = new ConversationDriver(graph);
    ok.send(inboundMessage({ customerWaId: '5511987654321' }));
    expect(ok.effects[0]).toMatchObject({
      type: 'httpRequest',
      method: 'POST',
      body: '{"phone":"5511987654321"}',
      timeoutMs: 5000,
      retries: 2,
    });
    ok.answer({ type: 'httpRequest', status: 201, ok: true });
    expect(ok.trail.at(-1)).toBe('crm→success');

    const down = new ConversationDriver(graph);
    down.send(inboundMessage());
    down.answer({ type: 'httpRequest', status: 503, ok: false });
    expect(down.trail.at(-1)).toBe('crm→failure');
  });
});
