/**
 * Reading a request body for core, within a size cap.
 *
 * @module
 */

/** The most body bytes read for core when no `maxBodyLength` is given: 64 KiB. */
export const DEFAULT_MAX_BODY_LENGTH: number = 64 * 1024;

/**
 * Checks a `maxBodyLength` option.
 *
 * @param value the option as given
 * @param context the function, for the message
 * @returns the limit in bytes: `value`, or the default when it is `undefined`
 * @throws {RangeError} If `value` is not a whole number of bytes, 0 or more.
 */
export function checkMaxBodyLength(value: unknown, context: string): number {
  if (value === undefined) return DEFAULT_MAX_BODY_LENGTH;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${context}: maxBodyLength must be a whole number of bytes, 0 or more`);
  }
  return value;
}

/**
 * Reads at most `limit` bytes of the body from a clone of `request`, so that
 * the request's own body stays for the handler. Empty bytes when there is no
 * body; `undefined` (not available) when it is longer than `limit`: announced
 * by `Content-Length` (nothing is read), or found while reading (the clone is
 * cancelled then, so at most `limit` bytes and one chunk are held).
 *
 * @param request the incoming request, its body not read yet
 * @param limit the most bytes to read
 * @returns the body, empty bytes for none, or `undefined` when it was not read
 */
export async function readBody(request: Request, limit: number): Promise<Uint8Array | undefined> {
  if (request.body === null) return new Uint8Array(0);
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) return undefined;
  const stream = request.clone().body;
  if (stream === null) return new Uint8Array(0);
  return readCapped(stream, limit);
}

/**
 * Reads a body stream to its end, at most `limit` bytes: the bytes, or
 * `undefined` once it is longer (the stream is cancelled then, so at most
 * `limit` bytes and one chunk are held). For request clones, response bodies
 * and their clones alike.
 *
 * @param stream the body, not locked yet
 * @param limit the most bytes to read
 * @returns the bytes, or `undefined` when there are more than `limit`
 */
export async function readCapped(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | undefined> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > limit) {
      // Not awaited: cancelling one branch of a tee settles only once the other branch is done too.
      reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
