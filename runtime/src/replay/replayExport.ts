import type { ConversationComparison } from '@switchboard/shared';

const COLUMNS = [
  'conversation_id',
  'recorded_assignee',
  'assignee_before',
  'assignee_after',
  'team_before',
  'team_after',
  'tags_before',
  'tags_after',
  'escalations_before',
  'escalations_after',
  'sla_breaches_before',
  'sla_breaches_after',
  'differences',
] as const;

/** RFC 4180: quote fields holding a comma, quote or line break; double the quotes inside. */
function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function comparisonsToCsv(rows: ConversationComparison[]): string {
  const lines = [COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(
      [
        row.conversationId,
        row.recordedAssigneeId,
        row.before.assigneeId,
        row.after.assigneeId,
        row.before.teamId,
        row.after.teamId,
        row.before.tags.join(' '),
        row.after.tags.join(' '),
        row.before.escalations,
        row.after.escalations,
        row.before.slaBreaches,
        row.after.slaBreaches,
        row.differences.join(' '),
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
