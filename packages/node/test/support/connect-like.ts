// A minimal connect-style app, enough to run middleware the way connect and
// express do: layers mounted under a path prefix (request.url shortened,
// request.originalUrl kept), next() to go on, next(error) to skip to the first
// four-argument error handler, 404 when nothing answers.

import { Buffer } from "node:buffer";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";

export type Handle = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;
export type ErrorHandle = (
  error: unknown,
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

interface Layer {
  path: string;
  handle: Handle | ErrorHandle;
}

export interface App {
  /** Adds a layer, for every request or for those under `path`. */
  use(handleOrPath: Handle | string, handle?: Handle): App;
  /** Adds an error handler (connect tells them apart by their four parameters). */
  useErrorHandler(handle: ErrorHandle): App;
  listener: RequestListener;
}

export function createApp(): App {
  const layers: Layer[] = [];
  const app: App = {
    use(handleOrPath: Handle | string, handle?: Handle): App {
      if (typeof handleOrPath === "string") layers.push({ path: handleOrPath, handle: handle! });
      else layers.push({ path: "", handle: handleOrPath });
      return app;
    },
    useErrorHandler(handle: ErrorHandle): App {
      layers.push({ path: "", handle });
      return app;
    },
    listener(request, response): void {
      const originalUrl = request.url ?? "/";
      (request as IncomingMessage & { originalUrl?: string }).originalUrl = originalUrl;
      let index = 0;
      function next(error?: unknown): void {
        request.url = originalUrl;
        const layer = layers[index++];
        if (layer === undefined) {
          response.statusCode = error === undefined ? 404 : 500;
          response.end(error === undefined ? "not found" : "unhandled error");
          return;
        }
        const matches =
          originalUrl === layer.path ||
          originalUrl.startsWith(`${layer.path}/`) ||
          originalUrl.startsWith(`${layer.path}?`);
        if (layer.path !== "" && !matches) {
          next(error);
          return;
        }
        if (layer.path !== "") request.url = originalUrl.slice(layer.path.length) || "/";
        if (request.url?.startsWith("?")) request.url = `/${request.url}`;
        try {
          if (error !== undefined) {
            if (layer.handle.length === 4) (layer.handle as ErrorHandle)(error, request, response, next);
            else next(error);
          } else if (layer.handle.length < 4) {
            (layer.handle as Handle)(request, response, next);
          } else {
            next();
          }
        } catch (thrown) {
          next(thrown);
        }
      }
      next();
    },
  };
  return app;
}

/** A raw body parser: buffers the body and leaves it on request.rawBody, as express's verify hook would. */
export const rawBodyParser: Handle = (request, _response, next) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    (request as IncomingMessage & { rawBody?: Buffer }).rawBody = Buffer.concat(chunks);
    next();
  });
  request.on("error", next);
};
