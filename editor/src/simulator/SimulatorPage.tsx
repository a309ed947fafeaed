import type { CustomerMessageKind } from '@switchboard/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, errorMessage, fetchSimulator, isAbort, type SimulatorState, sendAsCustomer } from '../api';
import { type CustomerFormValues, fieldsByKind, toCustomerPost } from './customerForm';

interface SentMessage {
  messageId: string;
  kind: CustomerMessageKind;
  from: string;
  summary: string;
}

const KIND_LABELS: Record<CustomerMessageKind, string> = {
  text: 'Text',
  image: 'Image',
  video: 'Video',
  audio: 'Voice note',
  document: 'Document',
  sticker: 'Sticker',
  location: 'Location',
  contacts: 'Contact card',
  button_reply: 'Reply button tap (interactive)',
  list_reply: 'List row pick (interactive)',
  button: 'Template quick reply',
  reaction: 'Reaction',
  order: 'Order',
  system: 'Changed number (system)',
  unsupported: 'Unsupported type',
};

/**
 * Plays the customer: sends signed inbound WhatsApp messages of every type through the runtime's
 * real webhook, to watch routing react. Only served when the runtime has the simulator on.
 */
export function SimulatorPage() {
  const [state, setState] = useState<SimulatorState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [kind, setKind] = useState<CustomerMessageKind>('text');
  const [values, setValues] = useState<CustomerFormValues>({
    from: '5511987650001',
    profileName: 'Maria Souza',
  });
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<ApiError | Error | null>(null);
  const [sent, setSent] = useState<SentMessage[]>([]);

  useEffect(() => {
    const controller = new AbortController();
    fetchSimulator(controller.signal).then(setState, (error) => {
      if (!isAbort(error)) setLoadError(errorMessage(error));
    });
    return () => controller.abort();
  }, []);

  const set = (name: string) => (value: string) => setValues((current) => ({ ...current, [name]: value }));

  async function send(event: FormEvent) {
    event.preventDefault();
    setSending(true);
    setSendError(null);
    try {
      const result = await sendAsCustomer(toCustomerPost(kind, values));
      const summary = fieldsByKind[kind]
        .map((field) => values[field.name])
        .filter(Boolean)
        .join(' · ');
      setSent((current) => [
        { messageId: result.messageId, kind, from: values.from ?? '', summary },
        ...current,
      ]);
    } catch (error) {
      setSendError(error as Error);
    } finally {
      setSending(false);
    }
  }

  if (loadError) {
    return (
      <section className="page">
        <h1>Customer simulator</h1>
        <p className="error" role="alert">
          {loadError}
        </p>
      </section>
    );
  }
  if (!state) return <section className="page">Loading…</section>;
  if (!state.enabled) {
    return (
      <section className="page">
        <h1>Customer simulator</h1>
        <p className="muted">
          The simulator is off on this runtime. It is on in demo mode, with the demo app secret, or with
          CUSTOMER_SIMULATOR=true.
        </p>
      </section>
    );
  }

  const errorField = sendError instanceof ApiError ? sendError.field : null;
  return (
    <section className="page simulator">
      <h1>Customer simulator</h1>
      <p className="muted">
        Sends a signed webhook as Meta would, through the same path as a real customer message.
      </p>
      <form className="simulator-form" onSubmit={send} data-testid="simulator-form">
        <TextInput
          label="Customer (wa_id)"
          name="from"
          values={values}
          onChange={set('from')}
          errorField={errorField}
        />
        <TextInput
          label="Profile name (empty: no profile)"
          name="profileName"
          values={values}
          onChange={set('profileName')}
          errorField={errorField}
        />
        <label className="simulator-field">
          <span>Business number</span>
          <select value={values.phoneNumberId ?? ''} onChange={(e) => set('phoneNumberId')(e.target.value)}>
            {state.businessNumbers.map((number) => (
              <option key={number.id} value={number.id}>
                {number.displayPhoneNumber ? `+${number.displayPhoneNumber}` : number.id} ({number.id})
              </option>
            ))}
          </select>
        </label>
        <label className="simulator-field">
          <span>Message type</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as CustomerMessageKind)} name="kind">
            {state.kinds.map((option) => (
              <option key={option} value={option}>
                {KIND_LABELS[option]}
              </option>
            ))}
          </select>
        </label>
        {fieldsByKind[kind].map((field) => (
          <TextInput
            key={`${kind}.${field.name}`}
            label={field.required ? `${field.label} *` : field.label}
            name={field.name}
            placeholder={field.placeholder}
            values={values}
            onChange={set(field.name)}
            errorField={errorField?.replace(/^message\.(items\.0\.)?/, '') ?? null}
          />
        ))}
        <details className="simulator-extras">
          <summary>Reply, forward, ad referral</summary>
          <TextInput
            label="Reply to (wamid)"
            name="replyTo"
            values={values}
            onChange={set('replyTo')}
            errorField={errorField}
          />
          <label className="simulator-check">
            <input
              type="checkbox"
              checked={values.forwarded === 'true'}
              onChange={(e) => set('forwarded')(String(e.target.checked))}
            />
            Forwarded
          </label>
          <TextInput
            label="Ad URL (click-to-WhatsApp)"
            name="referralUrl"
            values={values}
            onChange={set('referralUrl')}
            errorField={errorField}
          />
          <TextInput
            label="Ad headline"
            name="referralHeadline"
            values={values}
            onChange={set('referralHeadline')}
            errorField={errorField}
          />
        </details>
        {sendError && (
          <p className="error" role="alert">
            {sendError.message}
          </p>
        )}
        <button type="submit" disabled={sending}>
          {sending ? 'Sending…' : 'Send as customer'}
        </button>
      </form>
      <h2>Sent</h2>
      {sent.length === 0 && <p className="muted">Nothing sent yet.</p>}
      <ul className="simulator-sent" data-testid="simulator-sent">
        {sent.map((message) => (
          <li key={message.messageId}>
            <strong>{KIND_LABELS[message.kind]}</strong> from {message.from}
            {message.summary && <span className="muted"> — {message.summary}</span>}
            <code className="simulator-wamid" title="use as reply-to or reaction target">
              {message.messageId}
            </code>
            <button type="button" onClick={() => set('replyTo')(message.messageId)}>
              Reply to this
            </button>
            <button
              type="button"
              onClick={() => {
                setKind('reaction');
                set('messageId')(message.messageId);
              }}
            >
              React to this
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function TextInput(props: {
  label: string;
  name: string;
  placeholder?: string | undefined;
  values: CustomerFormValues;
  onChange: (value: string) => void;
  errorField: string | null;
}) {
  const invalid = props.errorField === props.name;
  return (
    <label className="simulator-field">
      <span>{props.label}</span>
      <input
        name={props.name}
        value={props.values[props.name] ?? ''}
        placeholder={props.placeholder}
        aria-invalid={invalid || undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}
