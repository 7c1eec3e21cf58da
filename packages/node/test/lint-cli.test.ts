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
  "/digest-no-nonce": (_request, response) => {
    response.writeHead(401, [["WWW-Authenticate", 'Digest realm="a", qop="auth", algorithm=SHA-256']]);
    response.end();
  },
  "/digest-rfc2069": (_request, response) => {
    response.writeHead(401, [["WWW-Authenticate", 'Digest realm="a", nonce="n1"']]);
    response.end();
  },
  "/digest-sha1": (_request, response) => {
    response.writeHead(401, [["WWW-Authenticate", 'Digest realm="a", qop="auth", nonce="n1", algorithm=SHA-1']]);
    response.end();
  },
  "/digest-unknown": (_request, response) => {
    response.writeHead(401, [["WWW-Authenticate", 'Digest realm="a", qop="auth", nonce="n1", algorithm=BLAKE3']]);
    response.end();
  },
  "/bad-request": (_request, response) => {
    response.writeHead(400, [["WWW-Authenticate", 'Basic realm="a"']]);
    response.end();
  },
  "/redirect": (_request, response) => {
    response.writeHead(302, [["Location", "/good"]]);
    response.end();
  },
  "/redirect-loop": (_request, response) => {
    response.writeHead(307, [["Location", "/redirect-loop"]]);
    response.end();
  },
  "/ok": (_request, response) => {
    response.writeHead(200, [["Content-Type", "text/plain"]]);
    response.end("hello");
  },
  "/missing": (_request, response) => {
    response.writeHead(404);
    response.end();
  },
  "/proxy": (_request, response) => {
    response.writeHead(407, [["Proxy-Authenticate", "Basic"]]);
    response.end();
  },
  "/empty-realm": (_request, response) => {
    response.writeHead(401, [["WWW-Authenticate", 'Basic realm=""']]);
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

  test("httpauth-lint flags a Digest challenge without nonce", async () => {
    const { code, stdout } = await lint(`${origin}/digest-no-nonce`);
    expect(code).toBe(1);
    expect(stdout).toContain("error: digest-without-nonce (RFC 7616 §3.3)");
  });

  test("httpauth-lint warns about a Digest challenge without qop (RFC 2069 form)", async () => {
    const { code, stdout } = await lint(`${origin}/digest-rfc2069`);
    expect(code).toBe(0);
    expect(stdout).toContain("warning: digest-without-qop (RFC 7616 §3.3)");
    expect(stdout).not.toContain("no findings");
  });

  test("httpauth-lint flags Digest algorithm=SHA-1 and an unknown algorithm", async () => {
    for (const path of ["/digest-sha1", "/digest-unknown"]) {
      const { code, stdout } = await lint(`${origin}${path}`);
      expect(code, path).toBe(1);
      expect(stdout, path).toContain("error: digest-unknown-algorithm (RFC 7616 §3.3, §6.1)");
    }
  });

  test("httpauth-lint flags a 400 that carries a challenge", async () => {
    const { code, stdout } = await lint(`${origin}/bad-request`);
    expect(code).toBe(1);
    expect(stdout).toContain("error: challenge-on-bad-request");
  });

  test("httpauth-lint says it did not follow a redirect, and follows it with --follow", async () => {
    const plain = await lint(`${origin}/redirect`);
    expect(plain.code).toBe(3);
    expect(plain.stdout).toContain(`redirect to ${origin}/good, not followed (pass --follow, or lint that URL)`);
    expect(plain.stdout).toContain("nothing to lint: the server did not challenge (302)");
    const followed = await lint(`${origin}/redirect`, "--follow");
    expect(followed.code).toBe(0);
    expect(followed.stdout).toContain(`redirect to ${origin}/good, followed`);
    expect(followed.stdout).toContain(`401 ${origin}/good`);
    expect(followed.stdout).toContain("no findings");
    const loop = await lint(`${origin}/redirect-loop`, "--follow");
    expect(loop.code).toBe(3);
    expect(loop.stdout).toContain("not followed (after 5 redirects)");
  });

  test("httpauth-lint says there is nothing to lint on a 200 or a 404, and exits 3 unless --allow-no-challenge", async () => {
    for (const [path, status] of [
      ["/ok", 200],
      ["/missing", 404],
    ] as const) {
      const { code, stdout } = await lint(`${origin}${path}`);
      expect(code, path).toBe(3);
      expect(stdout, path).toContain(`nothing to lint: the server did not challenge (${status})`);
      expect(stdout, path).not.toContain("no findings");
      expect((await lint(`${origin}${path}`, "--allow-no-challenge")).code, path).toBe(0);
    }
  });

  test("httpauth-lint reads Proxy-Authenticate on a 407 without --proxy", async () => {
    const { code, stdout } = await lint(`${origin}/proxy`);
    expect(code).toBe(1);
    expect(stdout).toContain("a 407: linting Proxy-Authenticate");
    expect(stdout).toContain("Proxy-Authenticate: Basic");
    expect(stdout).toContain("error: basic-without-realm");
  });

  test("httpauth-lint warns about an empty Basic realm", async () => {
    const { code, stdout } = await lint(`${origin}/empty-realm`);
    expect(code).toBe(0);
    expect(stdout).toContain("warning: basic-empty-realm");
  });

  test("httpauth-lint exits 2 on bad arguments and unreachable servers", async () => {
    expect((await lint()).code).toBe(2);
    expect((await lint("not a url")).code).toBe(2);
    expect((await lint("ftp://127.0.0.1/")).code).toBe(2);
    expect((await lint("http://127.0.0.1:1/")).code).toBe(2);
  });
});
