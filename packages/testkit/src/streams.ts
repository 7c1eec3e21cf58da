/**
 * Request bodies for body-cap tests: a form that streams in without
 * `Content-Length`, counting what the server pulls from it.
 *
 * @module
 */

/** A streamed body and how many bytes of it have been pulled so far. */
export interface StreamedBody {
  body: ReadableStream<Uint8Array>;
  pulled: () => number;
}

/**
 * A form body as a stream without `Content-Length`: `access_token=<token>&pad=`,
 * then `chunks` chunks of 16 KiB of `a`; counts the bytes pulled.
 *
 * @param token the Bearer token in the form
 * @param chunks how many 16 KiB chunks follow it
 * @returns the stream and a reader of the bytes pulled
 */
export function streamedForm(token: string, chunks: number): StreamedBody {
  let sent = 0;
  let bytes = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent > chunks) return controller.close();
      const chunk =
        sent === 0 ? new TextEncoder().encode(`access_token=${token}&pad=`) : new Uint8Array(16 * 1024).fill(0x61);
      sent++;
      bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { body, pulled: () => bytes };
}
