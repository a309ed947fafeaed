/** How many variables a template body takes: its highest {{n}} (Meta numbers them 1, 2… without gaps). */
export function templateVariableCount(body: string | undefined): number {
  let highest = 0;
  for (const match of (body ?? '').matchAll(/\{\{\s*(\d+)\s*\}\}/g))
    highest = Math.max(highest, Number(match[1]));
  return highest;
}

/** The body as the customer will read it; a variable not filled in yet keeps its {{n}} placeholder. */
export function renderTemplatePreview(body: string, variables: string[]): string {
  return body.replace(/\{\{\s*(\d+)\s*\}\}/g, (placeholder, n: string) => {
    const value = variables[Number(n) - 1];
    return value ? value : placeholder;
  });
}

/** The variable (0-based) an API error names, e.g. field `template.variables.1`; null for others. */
export function variableOfField(field: string | null): number | null {
  const match = /^template\.variables\.(\d+)$/.exec(field ?? '');
  return match ? Number(match[1]) : null;
}
