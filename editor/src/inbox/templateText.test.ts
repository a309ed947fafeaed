import { describe, expect, it } from 'vitest';
import { renderTemplatePreview, templateVariableCount, variableOfField } from './templateText';

describe('template text in the reply box', () => {
  it('counts variables by the highest {{n}}, repeated or spaced', () => {
    expect(templateVariableCount('Your order {{1}} is now {{2}}.')).toBe(2);
    expect(templateVariableCount('{{2}} and {{ 1 }} and {{2}} again')).toBe(2);
    expect(templateVariableCount('How did we do? Reply 1 to 5.')).toBe(0);
    expect(templateVariableCount(undefined)).toBe(0);
  });

  it('previews the body with the variables filled in, leaving empty ones as placeholders', () => {
    expect(renderTemplatePreview('Your order {{1}} is now {{2}}.', ['A-17', 'shipped'])).toBe(
      'Your order A-17 is now shipped.',
    );
    expect(renderTemplatePreview('Your order {{1}} is now {{2}}.', ['A-17', ''])).toBe(
      'Your order A-17 is now {{2}}.',
    );
    expect(renderTemplatePreview('Hi {{1}}, {{1}}!', ['Ana'])).toBe('Hi Ana, Ana!');
  });

  it('finds the variable an API error names', () => {
    expect(variableOfField('template.variables.1')).toBe(1);
    expect(variableOfField('template.variables')).toBeNull();
    expect(variableOfField(null)).toBeNull();
  });
});
