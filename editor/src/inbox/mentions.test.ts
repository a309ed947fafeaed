import { describe, expect, it } from 'vitest';
import type { AgentSummary } from '../api';
import { textToShifts, textToSkills } from '../team/profileText';
import { mentionFragment, mentionHandle, mentionSuggestions } from './NoteComposer';

const agent = (id: string, name: string, email: string) => ({ id, name, email }) as AgentSummary;
const team = [
  agent('agent_ana', 'Ana Souza', 'ana@demo.switchboard'),
  agent('agent_chloe', 'Chloé Martin', 'chloe@demo.switchboard'),
  agent('agent_ben', 'Ben Carter', 'ben@demo.switchboard'),
];

describe('@mention autocomplete', () => {
  it('finds the handle being typed just before the caret, not an e-mail address', () => {
    expect(mentionFragment('Please look @chl', 16)).toEqual({ start: 12, fragment: 'chl' });
    expect(mentionFragment('@', 1)).toEqual({ start: 0, fragment: '' });
    expect(mentionFragment('mail me at ana@example.com', 26)).toBeNull();
    expect(mentionFragment('@ben done', 9)).toBeNull();
  });

  it('suggests by name, handle or id, and inserts the e-mail handle the runtime resolves', () => {
    expect(mentionSuggestions(team, 'chl').map((a) => a.id)).toEqual(['agent_chloe']);
    expect(mentionSuggestions(team, 'carter').map((a) => a.id)).toEqual(['agent_ben']);
    expect(mentionSuggestions(team, '').map((a) => a.id)).toEqual(['agent_ana', 'agent_chloe', 'agent_ben']);
    expect(mentionHandle(team[1] as AgentSummary)).toBe('chloe');
  });
});

describe('profile texts', () => {
  it('reads skills and weekly shifts as a manager types them', () => {
    expect(textToSkills('billing:3, french : 5')).toEqual([
      { skill: 'billing', level: 3 },
      { skill: 'french', level: 5 },
    ]);
    expect(textToShifts('Mon 09:00-17:00, sat 22:00-06:00')).toEqual([
      { day: 1, start: '09:00', end: '17:00' },
      { day: 6, start: '22:00', end: '06:00' },
    ]);
    // An unknown day is kept as -1 so that the runtime refuses it by field.
    expect(textToShifts('Funday 09:00-10:00')[0]?.day).toBe(-1);
  });
});
