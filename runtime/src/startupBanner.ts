import { DEMO_PASSWORD } from './access/bootstrapAccess';
import type { Switchboard } from './app';

/** What `main.ts` prints once the app listens: where everything is. */
export function startupBanner(
  app: Pick<Switchboard, 'url' | 'graphApi' | 'temporalAddress' | 'temporalUiUrl'>,
  demo: boolean,
): string {
  return `
  Switchboard is running.
    App:          ${app.url}
    Inbox:        ${app.url}/inbox${
      demo
        ? `\n    Sign in:      admin@demo.switchboard (or ana@…, ben@…) / ${DEMO_PASSWORD}  (demo mode)`
        : ''
    }
    Webhook:      ${app.url}/webhooks/whatsapp${app.graphApi ? `\n    Graph API:    ${app.graphApi.url} (simulator; set WHATSAPP_ACCESS_TOKEN to talk to Meta)` : ''}
    Temporal:     ${app.temporalAddress}${app.temporalUiUrl ? `\n    Temporal UI:  ${app.temporalUiUrl}` : ''}
  Press Ctrl-C to stop.
`;
}

/**
 * The app's URL in a started runtime's output, once the banner is there (null before): tests and
 * benchmarks that start `main.ts` wait for it, and with PORT=0 learn the port from it.
 */
export function appUrlInBanner(output: string): string | null {
  return /Switchboard is running\.\s+App:\s+(http:\/\/\S+)/.exec(output)?.[1] ?? null;
}
