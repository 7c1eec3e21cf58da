/**
 * Reading a `node:http` request body for core without taking it from the
 * handler: the bytes read are pushed back with `unshift`, before the stream
 * could emit `end`, so the handler (or a body parser after it) reads the
 * whole body as if nobody had.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { IncomingMessage } from "node:http";

/**
 * Whether the request has no body by its framing (RFC 9112 §6.3): neither
 * `Transfer-Encoding` nor a non-zero `Content-Length`.
 *
 * @param request The incoming request.
 * @returns `true` when the request carries an empty entity.
 */
export function hasNoBody(request: IncomingMessage): boolean {
  const headers = request.headers ?? {};
  if (headers["transfer-encoding"] !== undefined) return false;
  const length = headers["content-length"];
  return length === undefined || length.trim() === "0";
}

/**
 * Reads the body of `request` up to `limit` bytes and pushes it back onto
 * the stream. Resolves to `undefined` (not available) when the body is
 * longer than `limit` — by `Content-Length` (nothing is read) or as it
 * streams in (what was read is pushed back and reading stops) — or when the
 * stream was already read, is flowing, or fails.
 *
 * @param request The incoming request, its body not read yet.
 * @param limit The most bytes to read.
 * @returns The body, or `undefined`.
 */
export function readAndRestore(request: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  const declared = request.headers?.["content-length"];
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve(undefined);
  if (request.readableEnded || request.readableFlowing === true || request.destroyed) {
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (body: Uint8Array | undefined): void => {
      request.off("readable", onReadable);
      request.off("error", onError);
      // Synchronously, before the end the stream may have scheduled: the handler reads it all again.
      if (chunks.length > 0) request.unshift(Buffer.concat(chunks));
      resolve(body);
    };
    const onError = (): void => finish(undefined);
    function onReadable(): void {
      let chunk: Buffer | null = request.read() as Buffer | null;
      while (chunk !== null) {
        chunks.push(chunk);
        length += chunk.byteLength;
        if (length > limit) {
          finish(undefined);
          return;
        }
        chunk = request.read() as Buffer | null;
      }
      // `complete`: the whole message was parsed, and everything it carried was read above.
      if (request.complete) finish(new Uint8Array(Buffer.concat(chunks)));
    }
    request.on("readable", onReadable);
    request.once("error", onError);
  });
}
