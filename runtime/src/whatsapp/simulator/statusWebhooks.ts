import { signWebhookBody } from '../signature';

export type SimulatedStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface StatusWebhookTarget {
  url: string;
  appSecret: string;
}

export interface StatusToPost {
  phoneNumberId: string;
  waMessageId: string;
  recipient: string;
  status: SimulatedStatus;
  at: number;
  errors?: { code: number; title: string; message: string; error_data?: { details: string } }[];
}

/** A status webhook as Meta posts it: one entry, one `messages` change, one status. */
export function statusWebhookBody(status: StatusToPost) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA_SIMULATOR',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000000', phone_number_id: status.phoneNumberId },
              statuses: [
                {
                  id: status.waMessageId,
                  status: status.status,
                  timestamp: String(Math.floor(status.at / 1000)),
                  recipient_id: status.recipient,
                  ...(status.status === 'failed'
                    ? { errors: status.errors }
                    : {
                        conversation: { id: `SIMCONV${status.recipient}`, origin: { type: 'service' } },
                        pricing: { billable: true, pricing_model: 'PMP', category: 'service' },
                      }),
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

/** Posts signed status webhooks one after another and remembers what the runtime answered. */
export class StatusWebhookPoster {
  readonly answers: { status: SimulatedStatus; waMessageId: string; httpStatus: number }[] = [];
  private pending = new Set<Promise<void>>();

  constructor(private target: StatusWebhookTarget | null) {}

  retarget(target: StatusWebhookTarget | null): void {
    this.target = target;
  }

  /** Posts `statuses` in order, `delayMs` apart, without holding up the send that caused them. */
  schedule(statuses: StatusToPost[], delayMs: number): void {
    const target = this.target;
    if (!target || statuses.length === 0) return;
    const run = (async () => {
      for (const status of statuses) {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        const body = JSON.stringify(statusWebhookBody(status));
        const response = await fetch(target.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-hub-signature-256': signWebhookBody(body, target.appSecret),
          },
          body,
        }).catch(() => null);
        await response?.arrayBuffer().catch(() => null);
        this.answers.push({
          status: status.status,
          waMessageId: status.waMessageId,
          httpStatus: response?.status ?? 0,
        });
      }
    })();
    this.pending.add(run);
    void run.finally(() => this.pending.delete(run));
  }

  /** Resolves once every scheduled status has been posted. */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}
