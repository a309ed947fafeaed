import type { MessageTemplate, OutboundMessage } from '@switchboard/shared';
import type { AppDatabase } from '../../db/database';

export interface ApprovedTemplate extends MessageTemplate {
  /** How many body variables ({{1}}…{{n}}) a send must fill. */
  variableCount: number;
}

/** The highest {{n}} in a body: Meta numbers variables from 1 without gaps. */
export function variableCountOf(body: string): number {
  let highest = 0;
  for (const match of body.matchAll(/\{\{\s*(\d+)\s*\}\}/g)) highest = Math.max(highest, Number(match[1]));
  return highest;
}

/** The text the customer will read, for the inbox: Meta substitutes the same way. */
export function renderTemplateBody(body: string, variables: string[]): string {
  return body.replace(/\{\{\s*(\d+)\s*\}\}/g, (whole, n: string) => variables[Number(n) - 1] ?? whole);
}

export function templateMessage(template: ApprovedTemplate, variables: string[]): OutboundMessage {
  return {
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      components: variables.length
        ? [{ type: 'body', parameters: variables.map((text) => ({ type: 'text' as const, text })) }]
        : [],
    },
  };
}

/** Templates Meta approved for this account, as the inbox may offer them. */
export function createTemplateStore(db: AppDatabase) {
  const approved = db.$client.prepare<[], MessageTemplate>(
    `SELECT name, language, category, body FROM message_templates WHERE status = 'approved' ORDER BY name, language`,
  );
  const one = db.$client.prepare<[string, string], MessageTemplate>(
    `SELECT name, language, category, body FROM message_templates WHERE name = ? AND language = ? AND status = 'approved'`,
  );
  const withCount = (template: MessageTemplate): ApprovedTemplate => ({
    ...template,
    variableCount: variableCountOf(template.body),
  });
  return {
    approved: (): ApprovedTemplate[] => approved.all().map(withCount),
    find(name: string, language: string): ApprovedTemplate | null {
      const row = one.get(name, language);
      return row ? withCount(row) : null;
    },
  };
}

export type TemplateStore = ReturnType<typeof createTemplateStore>;

/** Templates the demo business "has approved", so that a closed window can be shown and answered. */
export const DEMO_TEMPLATES: MessageTemplate[] = [
  {
    name: 'follow_up',
    language: 'en_US',
    category: 'utility',
    body: 'Hi {{1}}, this is {{2}} from Switchboard support. Are you still there? Reply to continue our conversation.',
  },
  {
    name: 'follow_up',
    language: 'pt_BR',
    category: 'utility',
    body: 'Olá {{1}}, aqui é {{2}} do suporte Switchboard. Ainda precisa de ajuda? Responda para continuarmos.',
  },
  {
    name: 'order_update',
    language: 'en_US',
    category: 'utility',
    body: 'Your order {{1}} is now {{2}}.',
  },
  {
    name: 'satisfaction_survey',
    language: 'en_US',
    category: 'marketing',
    body: 'How did we do? Reply 1 to 5.',
  },
];

export function seedTemplates(db: AppDatabase, templates: MessageTemplate[]): void {
  const insert = db.$client.prepare(
    `INSERT INTO message_templates (name, language, category, body) VALUES (?, ?, ?, ?)
     ON CONFLICT (name, language) DO NOTHING`,
  );
  for (const template of templates)
    insert.run(template.name, template.language, template.category, template.body);
}
