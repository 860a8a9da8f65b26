/**
 * Reading a small form body (the back-channel logout POST) from whatever the framework has:
 * a string, parsed fields, or the raw body stream — never more than a limit.
 *
 * @module
 */

/**
 * A request body as an adapter has it: text, `URLSearchParams`, fields a body parser already
 * read (an object), or the unread body (a Web `ReadableStream` or Node's request, both async
 * iterables of bytes). `null`/`undefined` for none.
 */
export type WebBody =
  | string
  | URLSearchParams
  | Readonly<Record<string, unknown>>
  | AsyncIterable<Uint8Array>
  | ReadableStream<Uint8Array>
  | null
  | undefined;

/** The largest form body read: a logout token is a few KB; anything larger is not one. */
export const MAX_FORM_BYTES = 64 * 1024;

const isIterable = (value: object): value is AsyncIterable<Uint8Array> =>
  Symbol.asyncIterator in value;

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
  if (body instanceof ReadableStream) return readStream(body, limit);
  if (isIterable(body)) return readIterable(body, limit);
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

async function readIterable(
  body: AsyncIterable<Uint8Array>,
  limit: number,
): Promise<URLSearchParams> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += chunk.byteLength;
      if (size > limit) return new URLSearchParams(); // leaving the loop stops the reading
      chunks.push(chunk);
    }
  } catch {
    return new URLSearchParams(); // an aborted body is a request without a token
  }
  return decode(chunks, size);
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
