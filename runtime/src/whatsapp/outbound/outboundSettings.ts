import type { Config } from '../../config';
import type { OutboundSenderOptions } from './outboundSender';

/** The sender's settings from the environment; the API and the router worker build theirs alike. */
export function outboundSenderOptions(config: Config): OutboundSenderOptions {
  return {
    settings: {
      baseUrl: config.WHATSAPP_API_BASE_URL,
      version: config.WHATSAPP_API_VERSION,
      accessToken: config.WHATSAPP_ACCESS_TOKEN,
    },
    pacing: {
      messagesPerSecond: config.WHATSAPP_MESSAGES_PER_SECOND,
      recipientIntervalMs: config.WHATSAPP_RECIPIENT_INTERVAL_MS,
      recipientBurst: config.WHATSAPP_RECIPIENT_BURST,
      maxWaitMs: config.WHATSAPP_PACING_MAX_WAIT_MS,
    },
    rateLimitRetries: config.WHATSAPP_RATE_LIMIT_RETRIES,
    backoffBaseMs: 500,
  };
}
