/**
 * The request body an auth route hands to core (the back-channel logout form).
 *
 * @module
 */

/**
 * `body` as core's form reader should get it: core stops reading past its limit and cancels the
 * stream. Under `next start` the stream is the HTTP connection's own request, and a cancelled
 * one leaves the unread rest of the upload on a keep-alive connection: the client's next
 * request there gets no answer until the server's timeout resets it. So cancelling reads the
 * rest and drops it, as the Express adapter does — memory stays flat, and the connection stays
 * usable for the answer and the next request.
 *
 * @example
 * ```ts
 * const body = drainOnCancel(new Request('http://localhost:3000/', { method: 'POST', body: 'a=1' }).body);
 * ```
 */
export function drainOnCancel(
  body: ReadableStream<Uint8Array> | null,
): ReadableStream<Uint8Array> | null {
  if (!body) return null;
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel() {
        void (async () => {
          while (!(await reader.read()).done);
        })().catch(() => undefined); // an aborted upload: nothing left to drop
      },
    },
    { highWaterMark: 0 },
  );
}
