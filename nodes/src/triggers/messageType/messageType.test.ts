import { type InboundMessageType, inboundMessageTypeSchema, type RoutedEvent } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { chain, inboundMessage, manualRun } from '../../testing/builders';
import { ConversationDriver } from '../../testing/drive';
import { messageKinds } from './messageKinds';
import { type MessageKind, messageKindSchema, messageTypeConfigSchema } from './schema';

/** Whether a message of `messageType` starts a workflow whose trigger listens for `types`. */
function startsOn(types: MessageKind[], messageType: InboundMessageType): boolean {
  return starts(types, inboundMessage({ messageType, text: null }));
}

function starts(types: MessageKind[], event: RoutedEvent): boolean {
  const driver = new ConversationDriver(
    chain({ id: 'start', type: 'trigger.messageType', config: { types } }),
  );
  driver.send(event);
  return driver.state.execution !== null;
}

describe('message type trigger', () => {
  it('"media" is any image, audio, video, document or sticker', () => {
    const media = inboundMessageTypeSchema.options.filter((type) => startsOn(['media'], type));
    expect(media).toEqual(['image', 'audio', 'video', 'document', 'sticker']);
  });

  it('"button reply" is a tap on an interactive message or on a template button', () => {
    expect(startsOn(['button_reply'], 'interactive')).toBe(true);
    expect(startsOn(['button_reply'], 'button')).toBe(true);
    expect(startsOn(['button_reply'], 'text')).toBe(false);
  });

  it('a sticker is media and a sticker; an image is not a sticker', () => {
    expect(messageKinds('sticker')).toEqual(['media', 'sticker']);
    expect(startsOn(['sticker'], 'image')).toBe(false);
  });

  it('starts on any of the chosen kinds', () => {
    expect(startsOn(['location', 'order'], 'order')).toBe(true);
    expect(startsOn(['location', 'order'], 'location')).toBe(true);
    expect(startsOn(['location', 'order'], 'contacts')).toBe(false);
    expect(startsOn(['text'], 'text')).toBe(true);
    expect(startsOn(['reaction'], 'reaction')).toBe(true);
  });

  it('never starts on system notices, unsupported messages or other events', () => {
    const everything = messageKindSchema.options;
    expect(startsOn(everything, 'system')).toBe(false);
    expect(startsOn(everything, 'unsupported')).toBe(false);
    expect(starts(everything, manualRun())).toBe(false);
  });

  it('asks for at least one kind', () => {
    expect(messageTypeConfigSchema.safeParse({ types: [] }).error?.issues[0]?.message).toBe(
      'choose at least one kind of message',
    );
  });

  it('starts the workflow when a customer sends a photo, not when they write', () => {
    const graph = chain(
      { id: 'start', type: 'trigger.messageType', config: { types: ['media'] } },
      { id: 'tag', type: 'action.tag', config: { tag: 'has-attachment' } },
    );
    const writer = new ConversationDriver(graph);
    writer.send(inboundMessage({ messageType: 'text' }));
    expect(writer.state.execution).toBeNull();

    const driver = new ConversationDriver(graph);
    driver.send(inboundMessage({ messageType: 'image', text: 'my receipt' }));
    expect(driver.trail).toEqual(['start→out', 'tag→out']);
  });
});
