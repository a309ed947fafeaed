import { parseArgs } from 'node:util';
import { type CustomerPost, customerMessageKinds, customerPostSchema } from '@switchboard/shared';

export const CUSTOMER_CLI_USAGE = `Posts a signed inbound WhatsApp message to a running Switchboard, as a customer would.

  npx tsx src/whatsapp/simulator/customerCli.ts <kind> --from <wa_id> [options] [text]

kinds and their options:
  text "hello"                          the text is the rest of the command line
  image|video|sticker [--caption c] [--media-id id] [--mime type]
  audio [--media-id id] [--no-voice]    a voice note unless --no-voice
  document [--filename f.pdf] [--caption c]
  location --lat=-23.56 --lng=-46.65 [--name n] [--address a]   (= before a negative number)
  contacts --name "João Silva" --phone "+55 11 91234-5678"
  button_reply --id talk-to-sales --title "Talk to sales"
  list_reply --id refund --title Refunds [--description d]
  button --text "Stop promotions" [--payload OPT_OUT]     template quick reply
  reaction --to <wamid> [--emoji 👍]    without --emoji: the reaction is taken back
  order --catalog <id> --item SKU:qty:price:CUR [--item ...] [text]
  system --new-wa-id 5511900001111      the customer changed number
  unsupported                           a type Meta does not pass on

common options:
  --from <wa_id>          the customer (digits with country code)   [required]
  --profile-name <name>   omitted: the customer has no profile
  --number <id>           business phone_number_id                  [demo number]
  --reply-to <wamid>      reply to that message (context)
  --forwarded             mark as forwarded
  --referral-url <url> --referral-id <id> [--referral-headline h]   came from a click-to-WhatsApp ad
  --url <base>            the runtime                               [http://127.0.0.1:$PORT]
  --secret <secret>       app secret to sign with                   [$WHATSAPP_APP_SECRET or the demo one]`;

export interface CustomerCliCommand {
  post: CustomerPost;
  url: string | undefined;
  secret: string | undefined;
}

/** A problem with the command line, shown with the usage. */
export class CustomerCliError extends Error {}

function number(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new CustomerCliError(`--${flag} must be a number, got "${value}"`);
  return parsed;
}

function orderItem(spec: string) {
  const [productRetailerId, quantity, itemPrice, currency] = spec.split(':');
  if (!productRetailerId || !quantity || !itemPrice || !currency) {
    throw new CustomerCliError(`--item must be SKU:quantity:price:CURRENCY, got "${spec}"`);
  }
  return { productRetailerId, quantity: Number(quantity), itemPrice: Number(itemPrice), currency };
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        'profile-name': { type: 'string' },
        number: { type: 'string' },
        'reply-to': { type: 'string' },
        forwarded: { type: 'boolean' },
        'referral-url': { type: 'string' },
        'referral-id': { type: 'string' },
        'referral-headline': { type: 'string' },
        url: { type: 'string' },
        secret: { type: 'string' },
        caption: { type: 'string' },
        'media-id': { type: 'string' },
        mime: { type: 'string' },
        'no-voice': { type: 'boolean' },
        filename: { type: 'string' },
        lat: { type: 'string' },
        lng: { type: 'string' },
        name: { type: 'string' },
        address: { type: 'string' },
        phone: { type: 'string' },
        id: { type: 'string' },
        title: { type: 'string' },
        description: { type: 'string' },
        text: { type: 'string' },
        payload: { type: 'string' },
        to: { type: 'string' },
        emoji: { type: 'string' },
        catalog: { type: 'string' },
        item: { type: 'string', multiple: true },
        'new-wa-id': { type: 'string' },
      },
    });
  } catch (error) {
    // Unknown flags and missing values: say so with the usage rather than with a stack trace.
    throw new CustomerCliError((error as Error).message);
  }
}

/** Turns the command line into a checked customer post; the same schema checks the app's panel. */
export function parseCustomerCliArgs(argv: string[]): CustomerCliCommand {
  const { values, positionals } = parseCommandLine(argv);
  const [kind, ...words] = positionals;
  if (!kind) throw new CustomerCliError('say which kind of message to send');
  if (!(customerMessageKinds as string[]).includes(kind)) {
    throw new CustomerCliError(`unknown kind "${kind}"; one of: ${customerMessageKinds.join(', ')}`);
  }
  const rest = words.length > 0 ? words.join(' ') : undefined;
  const media = { mediaId: values['media-id'], mimeType: values.mime, caption: values.caption };
  const messageByKind: Record<string, unknown> = {
    text: { kind, body: rest },
    image: { kind, ...media },
    video: { kind, ...media },
    sticker: { kind, ...media },
    audio: { kind, ...media, voice: !values['no-voice'] },
    document: { kind, ...media, filename: values.filename },
    location: {
      kind,
      latitude: number(values.lat, 'lat'),
      longitude: number(values.lng, 'lng'),
      name: values.name,
      address: values.address,
    },
    contacts: { kind, name: values.name, phone: values.phone },
    button_reply: { kind, id: values.id, title: values.title },
    list_reply: { kind, id: values.id, title: values.title, description: values.description },
    button: { kind, text: values.text ?? rest, payload: values.payload },
    reaction: { kind, messageId: values.to, emoji: values.emoji },
    order: { kind, catalogId: values.catalog, text: rest, items: (values.item ?? []).map(orderItem) },
    system: { kind, newWaId: values['new-wa-id'] },
    unsupported: { kind },
  };
  const referral =
    values['referral-url'] || values['referral-id']
      ? {
          sourceUrl: values['referral-url'],
          sourceId: values['referral-id'],
          headline: values['referral-headline'],
        }
      : undefined;
  const parsed = customerPostSchema.safeParse({
    from: values.from,
    profileName: values['profile-name'],
    phoneNumberId: values.number,
    message: messageByKind[kind],
    replyTo: values['reply-to'],
    forwarded: values.forwarded,
    referral,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new CustomerCliError(problems.join('\n'));
  }
  return { post: parsed.data, url: values.url, secret: values.secret };
}
