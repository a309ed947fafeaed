import type { AppDatabase } from '../db/database';

const HANDLE = /(^|[^\w@])@([A-Za-z0-9_][A-Za-z0-9_.-]*)/g;

/**
 * Agent ids mentioned in a note: `@agent_ben` (an id, as workflows write them) or `@ben` (the part
 * of an e-mail before the @). Unknown handles stay text and notify nobody.
 */
export function createMentionResolver(db: AppDatabase) {
  const byHandle = db.$client
    .prepare<[string, string], string>(
      `SELECT id FROM agents WHERE deactivated_at IS NULL AND (id = ? OR lower(substr(email, 1, instr(email, '@') - 1)) = ?) LIMIT 1`,
    )
    .pluck();
  return function mentionsIn(text: string): string[] {
    const found = new Set<string>();
    for (const match of text.matchAll(HANDLE)) {
      const handle = (match[2] as string).replace(/[.-]+$/, '');
      const agentId = byHandle.get(handle, handle.toLowerCase());
      if (agentId) found.add(agentId);
    }
    return [...found];
  };
}
