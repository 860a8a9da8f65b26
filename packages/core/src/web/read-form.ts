/**
 * Reading a small form body (the back-channel logout POST) from whatever the framework has:
 * a string, parsed fields, or the raw body stream — never more than a limit.
 *
 * @module
 */

/**
 * A Node-style readable body (an `IncomingMessage`), described by shape so core needs no Node
 * types: `data`, `end`, `error` and `close` events.
 */
export interface EventedBody {
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'end' | 'close' | 'error', listener: () => void): unknown;
  readonly readableEnded?: boolean;
}

/**
 * A request body as an adapter has it: text, bytes, `URLSearchParams`, fields a body parser
 * already read (an object), or the unread body (a Web `ReadableStream`, or Node's request).
 * `null`/`undefined` for none.
 */
export type WebBody =
  | string
  | Uint8Array
  | URLSearchParams
  | ReadableStream<Uint8Array>
  | EventedBody
  | Readonly<Record<string, unknown>>
  | null
  | undefined;

/** The largest form body read: a logout token is a few KB; anything larger is not one. */
export const MAX_FORM_BYTES = 64 * 1024;

const isEvented = (value: object): value is EventedBody =>
  typeof (value as { on?: unknown }).on === 'function';

/**
 * The form fields of a body, reading at most {@link MAX_FORM_BYTES}: a larger or broken body
 * reads as an empty form (the caller then refuses the request), and reading stops there, so a
 * huge body costs no memory.
 */
export async function readForm(body: WebBody, limit = MAX_FORM_BYTES): Promise<URLSearchParams> {
  if (body === null || body === undefined) return new URLSearchParams();
  if (typeof body === 'string') {
    return body.length > limit ? new URLSearchParams() : new URLSearchParams(body);
  }
  if (body instanceof URLSearchParams) return body;
  if (body instanceof Uint8Array) {
    return body.byteLength > limit ? new URLSearchParams() : decode([body], body.byteLength);
  }
  if (body instanceof ReadableStream) return readStream(body, limit);
  if (isEvented(body)) return readEvented(body, limit);
  // Fields a body parser already read: only string values count.
  const fields = Object.entries(body).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return new URLSearchParams(fields);
}

async function readStream(
  stream: ReadableStream<Uint8Array>,
  limit: number,
): Promise<URLSearchParams> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined); // stop the upload; nothing to keep
        return new URLSearchParams();
      }
      chunks.push(value);
    }
  } catch {
    return new URLSearchParams(); // an aborted body is a request without a token
  }
  return decode(chunks, size);
}

/**
 * A Node request: past the limit the rest keeps flowing and is dropped, so memory stays flat and
 * the connection stays usable for the answer and the next request.
 */
function readEvented(body: EventedBody, limit: number): Promise<URLSearchParams> {
  if (body.readableEnded) return Promise.resolve(new URLSearchParams()); // read by someone else
  return new Promise((resolve) => {
    let chunks: Uint8Array[] = [];
    let size = 0;
    let settled = false;
    const settle = (form: URLSearchParams): void => {
      if (settled) return;
      settled = true;
      resolve(form);
    };
    body.on('data', (chunk) => {
      size += chunk.byteLength;
      if (size <= limit) chunks.push(chunk);
      else if (!settled) {
        chunks = [];
        settle(new URLSearchParams());
      }
    });
    body.on('end', () => settled || settle(decode(chunks, size)));
    body.on('error', () => settle(new URLSearchParams()));
    body.on('close', () => settle(new URLSearchParams())); // aborted before its end
  });
}

function decode(chunks: readonly Uint8Array[], size: number): URLSearchParams {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new URLSearchParams(new TextDecoder().decode(bytes));
}
