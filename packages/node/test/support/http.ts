// Real HTTP over 127.0.0.1: a server on a free port, a client that keeps every
// response field line as sent, and a raw TCP exchange for byte-level checks.

import { Buffer } from "node:buffer";
import type { IncomingHttpHeaders, RequestListener } from "node:http";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";

export interface Running {
  origin: string;
  port: number;
  close(): Promise<void>;
}

/** Starts `listener` on 127.0.0.1 at a free port. */
export async function listen(listener: RequestListener): Promise<Running> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close(): Promise<void> {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Reply {
  status: number;
  /** Every response field line, in order, as [name, value] (from rawHeaders: nothing joined). */
  lines: [string, string][];
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One request with node:http's client, agent off (a fresh connection each time). */
export function send(url: string, options: SendOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      { method: options.method ?? "GET", headers: options.headers ?? {}, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const lines: [string, string][] = [];
          for (let index = 0; index < response.rawHeaders.length; index += 2) {
            lines.push([response.rawHeaders[index]!, response.rawHeaders[index + 1]!]);
          }
          resolve({
            status: response.statusCode ?? 0,
            lines,
            headers: response.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          });
        });
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(options.body);
  });
}

/** The values of every field line named `name` (case-insensitive), one entry per line. */
export function fieldLines(reply: Reply, name: string): string[] {
  const wanted = name.toLowerCase();
  return reply.lines.filter(([lineName]) => lineName.toLowerCase() === wanted).map(([, value]) => value);
}

/** Writes `text` to a fresh TCP connection and resolves with every byte the server sent until it closed. */
export function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("end", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.on("error", reject);
    socket.setTimeout(5_000, () => socket.destroy(new Error("no complete response within 5 s")));
    socket.write(text, "latin1");
  });
}

/** `Basic` credentials for a user-id and password. */
export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
}
