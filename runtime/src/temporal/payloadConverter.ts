import {
  BinaryPayloadConverter,
  CompositePayloadConverter,
  METADATA_ENCODING_KEY,
  type Payload,
  type PayloadConverterWithEncoding,
  UndefinedPayloadConverter,
  ValueError,
} from '@temporalio/common';

/**
 * The SDK's JSON payloads, byte for byte, with the UTF-8 step done by the platform's TextEncoder and
 * TextDecoder instead of the SDK's portable JavaScript one. That loop was most of the cost of a
 * routing batch's payloads: `encode` alone was a tenth of the workflow thread's CPU in a profiled
 * burst (a shard's effects go to the local activity as one large payload), and `decode` a third of
 * the activity side's conversion. Both globals exist wherever this runs: Node, and the workflow
 * sandbox, which the SDK gives Node's own. `JSON.stringify` escapes lone surrogates, so the text
 * is always well-formed and both encoders produce the same bytes: histories do not change.
 */
class JsonPayloadConverter implements PayloadConverterWithEncoding {
  readonly encodingType = 'json/plain';
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();
  private readonly encodingKey = this.encoder.encode(this.encodingType);

  toPayload(value: unknown): Payload | undefined {
    if (value === undefined) return undefined;
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch {
      return undefined;
    }
    // A function or a symbol: not JSON, so this converter cannot carry it.
    if (json === undefined) return undefined;
    return { metadata: { [METADATA_ENCODING_KEY]: this.encodingKey }, data: this.encoder.encode(json) };
  }

  fromPayload<T>(payload: Payload): T {
    if (payload.data === undefined || payload.data === null) throw new ValueError('Got payload with no data');
    return JSON.parse(this.decoder.decode(payload.data)) as T;
  }
}

/** The SDK's default converters in the SDK's order, with the JSON one above. */
export const payloadConverter = new CompositePayloadConverter(
  new UndefinedPayloadConverter(),
  new BinaryPayloadConverter(),
  new JsonPayloadConverter(),
);
