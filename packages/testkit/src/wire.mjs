/* @ts-self-types="./wire.d.mts" */
// Raw-socket wire probes: send a request's bytes over node:net and read the
// response's header section exactly as the server wrote it — one entry per
// field line, in order — which no fetch() can show (Headers joins repeated
// names). node:net works under Node, Deno (--allow-net) and Bun alike, and
// can bind a chosen local address (127.0.0.2) to test per-address throttling.

import { connect } from "node:net";

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A `GET` request head for `path` that asks the server to close the
 * connection after answering, so that the answer ends where the socket does.
 */
export function rawGet(path, options = {}) {
  const extra = Object.entries(options.headers ?? {})
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  return `GET ${path} HTTP/1.1\r\nHost: ${options.host ?? "127.0.0.1"}\r\n${extra}Connection: close\r\n\r\n`;
}

/** Sends `head` to 127.0.0.1:`port` and resolves to every byte of the answer, as latin1 text; bounded. */
export function rawRequest(port, head, options = {}) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const target = { host: options.host ?? "127.0.0.1", port };
    const socket = connect(
      options.localAddress === undefined ? target : { ...target, localAddress: options.localAddress },
    );
    const chunks = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once("connect", () => socket.write(head));
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(latin1(chunks));
    });
  });
}

function latin1(chunks) {
  let text = "";
  for (const chunk of chunks) for (const byte of chunk) text += String.fromCharCode(byte);
  return text;
}

/** The status line, the status code and the header field lines of a raw response, as [name, value] in wire order. */
export function parseHead(raw) {
  const end = raw.indexOf("\r\n\r\n");
  if (end === -1) throw new Error("the response has no complete header section");
  const [statusLine = "", ...fieldLines] = raw.slice(0, end).split("\r\n");
  const lines = fieldLines.map((line) => {
    const colon = line.indexOf(":");
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  return { statusLine, status: Number(statusLine.split(" ")[1]), lines };
}

/** The values of the field lines named `name` (case-insensitive), in wire order. */
export function linesNamed(lines, name) {
  return lines.filter(([field]) => field.toLowerCase() === name.toLowerCase()).map(([, value]) => value);
}
