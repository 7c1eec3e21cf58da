import { execFile } from "node:child_process";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const BIN = fileURLToPath(new URL("../bin/httpauth-lint.mjs", import.meta.url));

/** Routes that answer the way broken and correct servers do, header lines written raw. */
const ROUTES: Record<string, (request: IncomingMessage, response: ServerResponse) => void> = {
  "/fastapi": (_request, response) => {
    response.writeHead(401, [["WWW-Authenticate", "Basic"]]);
    response.end();
  },
  "/forbidden": (request, response) => {
    response.writeHead(request.headers.authorization === undefined ? 403 : 200);
    response.end();
  },
  "/joined": (_request, response) => {
    response.writeHead(401, [["WWW-Authenticate", 'Basic realm="a", Bearer realm="a"']]);
    response.end();
  },
  "/good": (_request, response) => {
    response.writeHead(401, [
      ["WWW-Authenticate", 'Basic realm="a", charset="UTF-8"'],
      ["WWW-Authenticate", 'Bearer realm="a"'],
    ]);
    response.end();
  },
  "/bare401": (_request, response) => {
    response.writeHead(401);
    response.end();
  },
};

let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((request, response) => (ROUTES[request.url ?? ""] ?? ROUTES["/bare401"]!)(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function lint(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number((error as { code?: number }).code ?? 1), stdout, stderr });
    });
  });
}

describe("httpauth-lint", () => {
  test("httpauth-lint flags a Basic challenge without realm and exits 1", async () => {
    const { code, stdout } = await lint(`${origin}/fastapi`);
    expect(code).toBe(1);
    expect(stdout).toContain("error: basic-without-realm (RFC 7617 §2)");
    expect(stdout).toContain("Python's urllib");
  });

  test("httpauth-lint flags 403 without credentials", async () => {
    const { code, stdout } = await lint(`${origin}/forbidden`);
    expect(code).toBe(1);
    expect(stdout).toContain("forbidden-without-credentials");
  });

  test("httpauth-lint reads raw lines, so it sees two challenges joined on one line", async () => {
    const { code, stdout } = await lint(`${origin}/joined`);
    expect(code).toBe(0);
    expect(stdout).toContain("warning: several-challenges-per-line");
  });

  test("httpauth-lint passes a server that sends one challenge per line", async () => {
    const { code, stdout } = await lint(`${origin}/good`);
    expect(code).toBe(0);
    expect(stdout).toContain("no findings");
    expect(stdout.match(/WWW-Authenticate:/g)).toHaveLength(2);
  });

  test("httpauth-lint flags a 401 without a challenge", async () => {
    const { code, stdout } = await lint(`${origin}/bare401`);
    expect(code).toBe(1);
    expect(stdout).toContain("no-challenge");
  });

  test("httpauth-lint exits 2 on bad arguments and unreachable servers", async () => {
    expect((await lint()).code).toBe(2);
    expect((await lint("not a url")).code).toBe(2);
    expect((await lint("ftp://127.0.0.1/")).code).toBe(2);
    expect((await lint("http://127.0.0.1:1/")).code).toBe(2);
  });
});
