import { customerMessageKinds, customerPostSchema } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { type CustomerFormValues, fieldsByKind, toCustomerPost } from './customerForm';

/** What a person would type: the placeholder, or something plausible for a field without one. */
function filledIn(kind: (typeof customerMessageKinds)[number]): CustomerFormValues {
  const values: CustomerFormValues = { from: '5511987650001' };
  for (const field of fieldsByKind[kind]) {
    if (field.required) values[field.name] = field.placeholder ?? 'Maria Souza';
  }
  if (kind === 'reaction') values.messageId = 'wamid.X';
  return values;
}

describe('simulator panel form', () => {
  it.each(customerMessageKinds)('a filled-in %s form is a message the runtime accepts', (kind) => {
    const parsed = customerPostSchema.safeParse(toCustomerPost(kind, filledIn(kind)));
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.message.kind).toBe(kind);
  });

  it('an empty emoji takes the reaction back; an empty profile name sends no profile', () => {
    const post = toCustomerPost('reaction', {
      from: '5511987650001',
      profileName: ' ',
      messageId: 'wamid.X',
      emoji: '',
    });
    expect(post.message).toEqual({ kind: 'reaction', messageId: 'wamid.X' });
    expect(post).not.toHaveProperty('profileName');
  });
});
