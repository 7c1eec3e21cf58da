// @httpauth/bun under real Bun: the cases shared with @httpauth/deno
// (@httpauth/testkit/fetch-runtime-suite) with the handler as Bun.serve's
// `fetch` and as a `routes` entry, real fetch over loopback and raw bytes read
// from a socket, then what only Bun has: typed route parameters, WebSocket
// upgrades, its line layout, Bun.password, and the doc comment examples.
//
// Run from packages/bun: bun test ./test/bun-test.ts

import { afterAll, describe, test } from "bun:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { basicAuth, createAuthenticator } from "@httpauth/core";
import { type FetchRuntimeHarness, runFetchRuntimeSuite, type Served } from "@httpauth/testkit/fetch-runtime-suite";
import { runOAuthRuntimeSuite } from "@httpauth/testkit/oauth-runtime-suite";
import { linesNamed, parseHead, rawGet, rawRequest } from "@httpauth/testkit/wire";
import { extractExamples, listSources } from "../../../scripts/lib/doc-examples.mjs";
import type { BunHandler, BunServer, RouteRequest } from "../src/index.ts";
import * as library from "../src/index.ts";
import { createResourceMetadataHandler, hashPassword, protect, verifyPassword } from "../src/index.ts";

// ── Bun.serve ───────────────────────────────────────────────────────────────

/** The slice of Bun.serve's options and server these tests use, typed here since @types/bun is not installed. */
interface ServeOptions {
  port: number;
  hostname: string;
  fetch?: (request: Request, server: BunServer) => Response | undefined | Promise<Response | undefined>;
  websocket?: { message(socket: { send(message: string | Uint8Array): void }, message: string | Uint8Array): void };
  routes?: Record<string, (request: RouteRequest, server: BunServer) => Response | Promise<Response>>;
  error?: (error: Error) => Response;
}
interface RunningServer {
  readonly port: number;
  stop(closeActiveConnections?: boolean): Promise<void>;
}
const { serve: bunServe } = (globalThis as unknown as { Bun: { serve(options: ServeOptions): RunningServer } }).Bun;

type Handler = BunHandler<Request | RouteRequest>;

/** Serves `handler` as the fetch handler, or as the route `/resource/:name` (with a 404 fetch fallback). */
function serve(mode: string, handler: Handler, error?: (error: Error) => Response): Served {
  const options: ServeOptions =
    mode === "fetch"
      ? { port: 0, hostname: "127.0.0.1", fetch: handler }
      : {
          port: 0,
          hostname: "127.0.0.1",
          routes: { "/resource/:name": handler },
          fetch: () => new Response("no such route", { status: 404 }),
        };
  const server = bunServe(error === undefined ? options : { ...options, error });
  return { base: `http://127.0.0.1:${server.port}`, port: server.port, close: () => server.stop(true) };
}

const harness: FetchRuntimeHarness<Handler> = {
  modes: ["fetch", "routes"],
  layout: "one joined line",
  path: (name) => `/resource/${name}`,
  protect: (handler, authenticator, options) =>
    protect((request: Request | RouteRequest, _server, context) => handler(request, context), authenticator, options),
  protectUnchecked: (handler, authenticator) => protect(handler as never, authenticator as never),
  echoExtra: (request) => ({ params: "params" in request ? request.params : null }),
  expectedExtra: (mode, name) => ({ params: mode === "routes" ? { name } : null }),
  serve,
  call: (handler, request) => handler(request, { requestIP: () => ({ address: "127.0.0.1" }) }),
  callWithoutAddress: (handler, request) => handler(request, { requestIP: () => null }),
};

describe("shared with @httpauth/deno", () => {
  runFetchRuntimeSuite(harness, test);
  runOAuthRuntimeSuite(
    {
      mode: "fetch",
      protect: (handler, authenticator, options) =>
        protect(
          (request: Request | RouteRequest, _server, context) => handler(request, context),
          authenticator,
          options,
        ),
      createResourceMetadataHandler,
      serve: (mode, handler) => serve(mode, handler),
      adapt: (handler) => (request) => handler(request),
    },
    test,
  );
});

function basic(user: string, password: string): string {
  return `Basic ${btoa(`${user}:${password}`)}`;
}

/** The response and its body text. */
async function get(url: string, headers: Record<string, string> = {}): Promise<[Response, string]> {
  const response = await fetch(url, { headers });
  return [response, await response.text()];
}

const RAW_GET = rawGet("/resource/x");

// ── What only Bun has ───────────────────────────────────────────────────────

describe("protect()", () => {
  test("hands route parameters through with their type", async () => {
    const authenticator = createAuthenticator({ schemes: [basicAuth({ realm: "api", verify: (user) => user })] });
    const handler = protect(
      (request: RouteRequest<{ id: string }>, _server, { identity }) =>
        new Response(`${identity} reads ${request.params.id}`),
      authenticator,
    );
    const server = bunServe({
      port: 0,
      hostname: "127.0.0.1",
      routes: { "/users/:id": handler as (request: RouteRequest, server: BunServer) => Promise<Response> },
    });
    try {
      const [response, body] = await get(`http://127.0.0.1:${server.port}/users/42`, {
        Authorization: basic("ada", "x"),
      });
      assert.equal(response.status, 200);
      assert.equal(body, "ada reads 42");
    } finally {
      await server.stop(true);
    }
  });

  test("lets only authenticated requests upgrade to a WebSocket", async () => {
    interface UpgradingServer extends BunServer {
      upgrade(request: Request): boolean;
    }
    const authenticator = createAuthenticator({
      schemes: [basicAuth({ realm: "api", verify: (user, password) => (password === "secret" ? user : undefined) })],
    });
    const server = bunServe({
      port: 0,
      hostname: "127.0.0.1",
      websocket: { message: (socket, message) => socket.send(message) },
      fetch: protect(
        (request, server: UpgradingServer) =>
          server.upgrade(request) ? undefined : new Response("expected a WebSocket", { status: 400 }),
        authenticator,
      ),
    });
    const url = `ws://127.0.0.1:${server.port}/`;
    // Bun's WebSocket client accepts request headers as a second argument.
    const Socket = WebSocket as unknown as new (url: string, options: { headers: Record<string, string> }) => WebSocket;
    try {
      const refused = new Socket(url, { headers: {} });
      const refusal = await new Promise<string>((resolve) => {
        refused.onopen = () => resolve("open");
        refused.onerror = () => resolve("error");
      });
      assert.equal(refusal, "error");
      assert.equal((await get(`http://127.0.0.1:${server.port}/`))[0].status, 401);

      const socket = new Socket(url, { headers: { Authorization: basic("ada", "secret") } });
      const echoed = await new Promise<string>((resolve, reject) => {
        socket.onopen = () => socket.send("ping");
        socket.onmessage = (event) => resolve(String(event.data));
        socket.onerror = () => reject(new Error("the authenticated upgrade failed"));
      });
      socket.close();
      assert.equal(echoed, "ping");
    } finally {
      await server.stop(true);
    }
  });
});

describe("on the wire", () => {
  test("Bun 1.4 joins repeated values however the Response is built; only Set-Cookie stays apart", async () => {
    const a = 'Basic realm="a"';
    const b = 'Bearer realm="b"';
    const builds: Record<string, () => Response> = {
      "a list of pairs": () =>
        new Response(null, {
          status: 401,
          headers: [
            ["WWW-Authenticate", a],
            ["WWW-Authenticate", b],
          ],
        }),
      "pairs in two cases": () =>
        new Response(null, {
          status: 401,
          headers: [
            ["WWW-Authenticate", a],
            ["www-authenticate", b],
          ],
        }),
      "Headers.append": () => {
        const headers = new Headers();
        headers.append("WWW-Authenticate", a);
        headers.append("WWW-Authenticate", b);
        return new Response(null, { status: 401, headers });
      },
      "response.headers.append": () => {
        const response = new Response(null, { status: 401 });
        response.headers.append("WWW-Authenticate", a);
        response.headers.append("WWW-Authenticate", b);
        return response;
      },
      "an uncommon header name": () =>
        new Response(null, {
          headers: [
            ["X-Challenge", a],
            ["X-Challenge", b],
          ],
        }),
    };
    for (const [how, build] of Object.entries(builds)) {
      const server = bunServe({ port: 0, hostname: "127.0.0.1", fetch: build });
      try {
        const { lines } = parseHead(await rawRequest(server.port, RAW_GET));
        const values = [...linesNamed(lines, "WWW-Authenticate"), ...linesNamed(lines, "X-Challenge")];
        assert.deepEqual(values, [`${a}, ${b}`], how);
      } finally {
        await server.stop(true);
      }
    }
    const cookies = bunServe({
      port: 0,
      hostname: "127.0.0.1",
      fetch: () =>
        new Response(null, {
          headers: [
            ["Set-Cookie", "a=1"],
            ["Set-Cookie", "b=2"],
          ],
        }),
    });
    try {
      const { lines } = parseHead(await rawRequest(cookies.port, RAW_GET));
      assert.deepEqual(linesNamed(lines, "Set-Cookie"), ["a=1", "b=2"]);
    } finally {
      await cookies.stop(true);
    }
  });
});

// ── Password hashes ─────────────────────────────────────────────────────────

describe("hashPassword() and verifyPassword()", () => {
  for (const algorithm of ["argon2id", "argon2i", "argon2d"] as const) {
    test(`round-trip with ${algorithm}`, async () => {
      const hash = await hashPassword("correct horse battery staple", { algorithm, memoryCost: 19_456, timeCost: 1 });
      assert.ok(hash.startsWith(`$${algorithm}$v=19$m=19456,t=1,p=1$`), hash);
      assert.equal(await verifyPassword("correct horse battery staple", hash), true);
      assert.equal(await verifyPassword("correct horse battery stapl", hash), false);
      assert.notEqual(await hashPassword("correct horse battery staple", { algorithm, memoryCost: 19_456 }), hash);
    });
  }

  test("use argon2id with 64 MiB and 2 passes by default", async () => {
    const hash = await hashPassword("secret");
    assert.ok(hash.startsWith("$argon2id$v=19$m=65536,t=2,p=1$"), hash);
    assert.equal(await verifyPassword("secret", hash), true);
  });

  test("round-trip with bcrypt, cost 10 by default", async () => {
    const hash = await hashPassword("correct horse battery staple", { algorithm: "bcrypt" });
    assert.ok(/^\$2b\$10\$[./A-Za-z0-9]{53}$/.test(hash), hash);
    assert.equal(await verifyPassword("correct horse battery staple", hash), true);
    assert.equal(await verifyPassword("correct horse battery stapl", hash), false);
  });

  test("bcrypt from Bun tells apart passwords that differ past 72 bytes", async () => {
    const long = "x".repeat(100);
    const hash = await hashPassword(long, { algorithm: "bcrypt" });
    assert.equal(await verifyPassword(long, hash), true);
    assert.equal(await verifyPassword(`${long}y`, hash), false);
  });

  test("verifyPassword() accepts hashes from other implementations", async () => {
    // crypt_blowfish's test vectors ($2a$ and the same hash as $2b$ and $2y$).
    assert.equal(await verifyPassword("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"), true);
    assert.equal(await verifyPassword("U*U", "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"), true);
    assert.equal(await verifyPassword("U*U", "$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"), true);
    assert.equal(await verifyPassword("U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK"), true);
    assert.equal(await verifyPassword("U*U*U", "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a"), true);
    assert.equal(await verifyPassword("U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"), false);
    // The argon2 reference implementation's README example (argon2i, 64 MiB, 2 passes, 4 lanes).
    const argon2 = "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";
    assert.equal(await verifyPassword("password", argon2), true);
    assert.equal(await verifyPassword("passw0rd", argon2), false);
  });

  test("hashPassword() refuses costs out of range, unknown algorithms and bad passwords", async () => {
    const refused: [unknown, ErrorConstructor | RangeErrorConstructor | TypeErrorConstructor][] = [
      [{ memoryCost: 19_455 }, RangeError],
      [{ memoryCost: 262_145 }, RangeError],
      [{ memoryCost: 65_536.5 }, RangeError],
      [{ timeCost: 0 }, RangeError],
      [{ timeCost: 9 }, RangeError],
      [{ algorithm: "bcrypt", cost: 9 }, RangeError],
      [{ algorithm: "bcrypt", cost: 16 }, RangeError],
      [{ algorithm: "scrypt" }, TypeError],
      [null, TypeError],
    ];
    for (const [options, type] of refused) {
      await assert.rejects(hashPassword("secret", options as never), type, JSON.stringify(options));
    }
    await assert.rejects(hashPassword(""), /empty/);
    await assert.rejects(hashPassword(42 as never), TypeError);
    await assert.rejects(hashPassword("lone \uD800"), /lone surrogate/);
    await assert.rejects(
      verifyPassword("\uDC00", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"),
      /surrogate/,
    );
  });

  test("verifyPassword() refuses malformed and hostile hashes with a TypeError naming the problem", async () => {
    const bcrypt = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
    const argon2 = "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";
    const cases: [hash: unknown, problem: RegExp][] = [
      [42, /must be a string/],
      ["", /not an argon2 .* or bcrypt/],
      ["plaintext", /not an argon2 .* or bcrypt/],
      ["$pbkdf2-sha256$i=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", /not an argon2 .* or bcrypt/],
      [`${argon2}$`, /of the form/],
      [argon2.replace("$c29tZXNhbHQ", ""), /of the form/],
      [argon2.replace("argon2i", "argon2x"), /variant/],
      [argon2.replace("v=19", "v=16"), /version 19/],
      [argon2.replace("m=65536", "m=4194304"), /memory cost is over the limit/],
      [argon2.replace("m=65536", "m=99999999999"), /parameters must be/],
      [argon2.replace("t=2", "t=1000"), /time cost/],
      [argon2.replace("t=2", "t=0"), /time cost/],
      [argon2.replace("p=4", "p=255"), /parallelism/],
      [argon2.replace("m=65536,t=2,p=4", "t=2,m=65536,p=4"), /parameters must be/],
      [argon2.replace("m=65536", "m=065536"), /parameters must be/],
      [argon2.replace("p=4", "p=4,keyid=1"), /parameters must be/],
      [argon2.replace("c29tZXNhbHQ", "c29tZXNhbHQ="), /salt must be unpadded base64/],
      [argon2.replace("c29tZXNhbHQ", "c29t"), /salt must be unpadded base64/],
      [argon2.replace("RdescudvJCsgt3ub+b+dWRWJTmaaJObG", "Rdes-udv"), /hash must be unpadded base64/],
      [bcrypt.replace("$2a$", "$2x$"), /variant/],
      [bcrypt.replace("$2a$", "$2$"), /variant/],
      [bcrypt.replace("$05$", "$31$"), /cost must be/],
      [bcrypt.replace("$05$", "$16$"), /cost must be/],
      [bcrypt.replace("$05$", "$03$"), /cost must be/],
      [bcrypt.replace("$05$", "$5a$"), /cost must be/],
      [bcrypt.slice(0, -1), /60 characters/],
      [`${bcrypt}x`, /60 characters/],
      [bcrypt.replace("E5YPO", "E5Y!O"), /bcrypt's base64/],
      [`$argon2id$v=19$m=65536,t=2,p=1$${"A".repeat(300)}$AAAAAA`, /longer than 256 characters/],
    ];
    for (const [hash, problem] of cases) {
      await assert.rejects(verifyPassword("U*U", hash as string), (error: unknown) => {
        assert.ok(error instanceof TypeError, `${String(hash)}: a TypeError, got ${String(error)}`);
        assert.ok(problem.test(error.message), `${String(hash)}: ${error.message}`);
        assert.ok(String(hash) === "" || !error.message.includes(String(hash)), "the message never repeats the hash");
        return true;
      });
    }
  });

  test("verifyPassword() turns Bun's own refusals into a TypeError with Bun's error as the cause", async () => {
    const argon2 = "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";
    const cases: [hash: string, code: string][] = [
      [argon2.replace("m=65536", "m=0"), "PASSWORD_WEAK_PARAMETERS"],
      [argon2.replace("c29tZXNhbHQ", "c29tZXNhbHR"), "PASSWORD_INVALID_ENCODING"],
    ];
    for (const [hash, code] of cases) {
      await assert.rejects(verifyPassword("password", hash), (error: unknown) => {
        assert.ok(error instanceof TypeError);
        assert.ok(error.message.includes(code), error.message);
        assert.equal((error.cause as { code?: string } | undefined)?.code, code);
        return true;
      });
    }
  });
});

// ── Doc comments ────────────────────────────────────────────────────────────

describe("doc comment examples", () => {
  const sources = fileURLToPath(new URL("../src/", import.meta.url));
  const index = pathToFileURL(join(sources, "index.ts")).href;
  const core = import.meta.resolve("@httpauth/core");
  // src/elysia.ts's examples: the sub-path by its source, elysia from this package's devDependencies.
  const elysiaEntry = pathToFileURL(join(sources, "elysia.ts")).href;
  const elysia = import.meta.resolve("elysia");
  const examples = listSources(sources).flatMap(extractExamples);
  const folder = mkdtempSync(join(tmpdir(), "httpauth-bun-examples-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  for (const [number, example] of examples.entries()) {
    test(`${relative(join(sources, ".."), example.file)}:${example.line} ${example.title}`, async () => {
      const code = example.code
        .replaceAll('"@httpauth/bun"', JSON.stringify(index))
        .replaceAll('"@httpauth/core"', JSON.stringify(core))
        .replaceAll('"@httpauth/bun/elysia"', JSON.stringify(elysiaEntry))
        .replaceAll('"elysia"', JSON.stringify(elysia));
      const file = join(folder, `example-${number}.ts`);
      writeFileSync(file, `${code}\nexport {};\n`);
      await import(pathToFileURL(file).href);
    });
  }

  test("every value exported from src/index.ts has an example", () => {
    const documented = new Set<string>();
    for (const example of examples) {
      for (const match of example.code.matchAll(/import\s*{([^}]*)}\s*from\s*"@httpauth\/bun"/g)) {
        for (const name of (match[1] ?? "").split(",")) documented.add(name.trim());
      }
    }
    assert.deepEqual(
      Object.keys(library).filter((name) => !documented.has(name)),
      [],
    );
  });
});
