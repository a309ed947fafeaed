import { describe, expect, it } from 'vitest';
import { chain, inboundMessage } from '../../testing/builders';
import { ConversationDriver } from '../../testing/drive';
import { notifyConfigSchema } from '.';

describe('notify', () => {
  it('asks to notify the team lead in the app and by e-mail, with the title rendered', () => {
    const driver = new ConversationDriver(
      chain(
        { id: 'start', type: 'trigger.newConversation' },
        {
          id: 'page',
          type: 'action.notify',
          config: {
            channels: ['in_app', 'email'],
            to: { kind: 'teamLead', teamId: 'team_support' },
            title: 'New chat from {{contact.name}}',
          },
        },
      ),
    );
    driver.send(inboundMessage());
    expect(driver.effects).toEqual([
      expect.objectContaining({
        type: 'notify',
        channels: ['in_app', 'email'],
        to: { kind: 'teamLead', teamId: 'team_support' },
        title: 'New chat from Maria',
      }),
    ]);
  });

  it('refuses the Slack channel without a webhook URL, naming the field', () => {
    const result = notifyConfigSchema.safeParse({ channels: ['slack'], title: 'x' });
    expect(result.error?.issues[0]).toMatchObject({
      path: ['slackWebhookUrl'],
      message: 'the Slack channel needs an incoming webhook URL',
    });
  });
});
