/**
 * The customer driver on the command line: posts one signed inbound message of any type to a
 * running Switchboard's webhook, exactly as Meta would. See CUSTOMER_CLI_USAGE.
 */
import { loadConfig } from '../../config';
import { DEMO_BUSINESS_NUMBER_ID } from '../../demo/seedDemo';
import { customerWebhook, newWaMessageId } from '../inboundPayloads';
import { signWebhookBody } from '../signature';
import { CUSTOMER_CLI_USAGE, CustomerCliError, parseCustomerCliArgs } from './customerCliArgs';

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    console.log(CUSTOMER_CLI_USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  const command = parseCustomerCliArgs(argv);
  const config = loadConfig();
  const baseUrl = command.url ?? `http://127.0.0.1:${config.PORT}`;
  const messageId = newWaMessageId();
  const body = JSON.stringify(
    customerWebhook(command.post, command.post.phoneNumberId ?? DEMO_BUSINESS_NUMBER_ID, {
      messageId,
      timestamp: Math.floor(Date.now() / 1000),
    }),
  );
  const response = await fetch(new URL('/webhooks/whatsapp', baseUrl), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signWebhookBody(body, command.secret ?? config.WHATSAPP_APP_SECRET),
    },
    body,
  }).catch((error: Error) => {
    throw new Error(`could not reach ${baseUrl} (is Switchboard running?): ${error.cause ?? error.message}`);
  });
  const reply = await response.text();
  console.log(JSON.stringify({ messageId, status: response.status, reply: JSON.parse(reply) }));
  return response.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CustomerCliError) {
      console.error(`${error.message}\n\n${CUSTOMER_CLI_USAGE}`);
      process.exitCode = 2;
    } else {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    }
  },
);
