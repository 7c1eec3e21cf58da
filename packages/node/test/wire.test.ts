// Byte-level checks over a raw TCP socket: what node:http actually writes.

import { Buffer } from "node:buffer";
import type { IncomingMessage } from "node:http";
import { afterEach, describe, expect, test } from "vitest";
import { protect } from "../src/index.ts";
import {
  BASIC_CHALLENGE,
  BEARER_CHALLENGE,
  createBasicAuthenticator,
  createTestAuthenticator,
} from "./support/authenticators.ts";
import type { Running } from "./support/http.ts";
import { basic, listen, rawExchange } from "./support/http.ts";

const running: Running[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

interface RawResponse {
  statusLine: string;
  /** Every header line exactly as sent, without its CRLF. */
  headerLines: string[];
  body: string;
}

function split(raw: string): RawResponse {
  const end = raw.indexOf("\r\n\r\n");
  expect(end).toBeGreaterThan(0);
  const [statusLine = "", ...headerLines] = raw.slice(0, end).split("\r\n");
  return { statusLine, headerLines, body: raw.slice(end + 4) };
}

function linesNamed(response: RawResponse, name: string): string[] {
  const prefix = `${name.toLowerCase()}:`;
  return response.headerLines.filter((line) => line.toLowerCase().startsWith(prefix));
}

function request(lines: string[]): string {
  return `${[...lines, "Host: 127.0.0.1", "Connection: close"].join("\r\n")}\r\n\r\n`;
}

async function start(authenticator = createTestAuthenticator()): Promise<Running> {
  const server = await listen(
    protect((request, response) => {
      response.end(`hello ${request.auth.identity.name}`);
    }, authenticator),
  );
  running.push(server);
  return server;
}

describe("on the wire", () => {
  test("each challenge goes out as its own WWW-Authenticate line, with its realm, never joined", async () => {
    const server = await start();
    const response = split(await rawExchange(server.port, request(["GET /reports HTTP/1.1"])));
    expect(response.statusLine).toBe("HTTP/1.1 401 Unauthorized");
    const challenges = linesNamed(response, "WWW-Authenticate");
    expect(challenges).toHaveLength(3);
    expect(challenges[0]).toBe(`WWW-Authenticate: ${BASIC_CHALLENGE}`);
    expect(challenges[1]).toBe(`WWW-Authenticate: ${BEARER_CHALLENGE}`);
    expect(challenges[2]).toMatch(/^WWW-Authenticate: Digest realm="api", /);
    for (const line of challenges) {
      expect(line).toContain('realm="api"');
      // One scheme per line: no other challenge starts after a comma.
      expect(line.match(/(?:^WWW-Authenticate: |, )(?:Basic|Bearer|Digest) /g)).toHaveLength(1);
    }
    expect(linesNamed(response, "Content-Type")).toEqual(["Content-Type: text/plain; charset=utf-8"]);
    expect(linesNamed(response, "Content-Length")).toEqual([
      `Content-Length: ${Buffer.byteLength(response.body, "latin1")}`,
    ]);
    expect(response.body).toBe("401 Unauthorized: Authentication is required.\n");
  });

  test("a proxy's challenges go out as Proxy-Authenticate lines with a 407 status line", async () => {
    const server = await start(createTestAuthenticator({ proxy: true }));
    const response = split(await rawExchange(server.port, request(["GET http://example.com/ HTTP/1.1"])));
    expect(response.statusLine).toBe("HTTP/1.1 407 Proxy Authentication Required");
    expect(linesNamed(response, "Proxy-Authenticate")).toHaveLength(3);
    expect(linesNamed(response, "Proxy-Authenticate")[0]).toBe(`Proxy-Authenticate: ${BASIC_CHALLENGE}`);
    expect(linesNamed(response, "WWW-Authenticate")).toEqual([]);
  });

  test("403 insufficient_scope carries the one Bearer challenge", async () => {
    const server = await start();
    const response = split(
      await rawExchange(server.port, request(["GET / HTTP/1.1", "Authorization: Bearer writer-token"])),
    );
    expect(response.statusLine).toBe("HTTP/1.1 403 Forbidden");
    expect(linesNamed(response, "WWW-Authenticate")).toEqual([
      'WWW-Authenticate: Bearer realm="api", scope="read", error="insufficient_scope"',
    ]);
  });

  test("a HEAD request gets the status and challenge lines without a body", async () => {
    const server = await start();
    const raw = await rawExchange(server.port, request(["HEAD / HTTP/1.1"]));
    const response = split(raw);
    expect(response.statusLine).toBe("HTTP/1.1 401 Unauthorized");
    expect(linesNamed(response, "WWW-Authenticate")).toHaveLength(3);
    expect(response.body).toBe("");
  });

  test("two Authorization lines are refused, though request.headers would keep only the first", async () => {
    let seenByNode: IncomingMessage["headers"] | undefined;
    const guarded = protect((_request, response) => response.end("in"), createBasicAuthenticator());
    const server = await listen((request, response) => {
      seenByNode = request.headers;
      void guarded(request, response);
    });
    running.push(server);
    const valid = basic("ada", "lovelace");

    const one = split(await rawExchange(server.port, request(["GET / HTTP/1.1", `Authorization: ${valid}`])));
    expect(one.statusLine).toBe("HTTP/1.1 200 OK");

    const two = split(
      await rawExchange(
        server.port,
        request(["GET / HTTP/1.1", `Authorization: ${valid}`, `Authorization: ${basic("mallory", "x")}`]),
      ),
    );
    expect(seenByNode?.authorization).toBe(valid);
    expect(two.statusLine).toBe("HTTP/1.1 401 Unauthorized");
    expect(two.body).toBe("401 Unauthorized: The credentials are malformed.\n");
  });
});
