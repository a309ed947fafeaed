import type { AgentSummary } from '../api';

/** The profile fields as one-line texts a manager can edit, and back. */
export function skillsToText(skills: AgentSummary['skills']): string {
  return skills.map((s) => `${s.skill}:${s.level}`).join(', ');
}

export function textToSkills(text: string): AgentSummary['skills'] {
  return list(text).map((item) => {
    const [skill = '', level = '3'] = item.split(':').map((part) => part.trim());
    return { skill, level: Number(level) };
  });
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function shiftsToText(shifts: AgentSummary['shifts']): string {
  return shifts.map((s) => `${DAYS[s.day]} ${s.start}-${s.end}`).join(', ');
}

/** "Mon 09:00-17:00, Tue 09:00-17:00"; an unknown day becomes -1, which the runtime refuses by name. */
export function textToShifts(text: string): AgentSummary['shifts'] {
  return list(text).map((item) => {
    const [day = '', hours = ''] = item.split(/\s+/);
    const [start = '', end = ''] = hours.split('-');
    return { day: DAYS.findIndex((d) => d.toLowerCase() === day.slice(0, 3).toLowerCase()), start, end };
  });
}

export function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
