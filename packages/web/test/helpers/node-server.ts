// A tiny node:http adapter for the tests: each request becomes a Fetch API
// Request, the handler's Response is written back. Not a product: the real
// Node integration is @httpauth/node. Response headers are written from the
// Headers iteration, which joins repeated fields into one line.

import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface TestServer {
  /** `http://127.0.0.1:port` */
  origin: string;
  /** Every request the handler saw, in order. */
  requests: Request[];
  close(): Promise<void>;
}

async function toRequest(incoming: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (let index = 0; index + 1 < incoming.rawHeaders.length; index += 2) {
    headers.append(incoming.rawHeaders[index]!, incoming.rawHeaders[index + 1]!);
  }
  const method = incoming.method ?? "GET";
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const body = method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks);
  return new Request(new URL(incoming.url ?? "/", origin), { method, headers, ...(body ? { body } : {}) });
}

async function writeResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  outgoing.statusCode = response.status;
  response.headers.forEach((value, name) => {
    outgoing.appendHeader(name, value);
  });
  outgoing.end(Buffer.from(await response.arrayBuffer()));
}

export function serve(handler: (request: Request) => Promise<Response>): Promise<TestServer> {
  const requests: Request[] = [];
  let origin = "";
  const server = createServer((incoming, outgoing) => {
    toRequest(incoming, origin)
      .then((request) => {
        requests.push(request.clone());
        return handler(request);
      })
      .then(
        (response) => writeResponse(response, outgoing),
        () => {
          outgoing.statusCode = 500;
          outgoing.end("500 Internal Server Error\n");
        },
      );
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({
        origin,
        requests,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
