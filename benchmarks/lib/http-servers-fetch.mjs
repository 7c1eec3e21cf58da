// One Basic-protected server per process on Deno (Deno.serve) or Bun
// (Bun.serve), for the HTTP-level benchmark:
//   deno run -A benchmarks/lib/http-servers-fetch.mjs <name>
//   bun benchmarks/lib/http-servers-fetch.mjs <name>
// As lib/http-servers.mjs does on Node: listens on 127.0.0.1 (port chosen by
// the system), prints `listening <port>` on stdout, and answers GET / with 200
// "ok" for the right credentials, 401 with a Basic challenge otherwise. Every
// server checks the same user and password with the same `verify`; each does
// it the way its stack is meant to be used.

import { runtimeInfo } from "./environment.mjs";

export const USERNAME = "bench";
export const PASSWORD = "s3cret-password";
export const REALM = "bench";

const RUNTIME = typeof Deno !== "undefined" ? "deno" : typeof Bun !== "undefined" ? "bun" : "node";
const SERVE = RUNTIME === "deno" ? "Deno.serve" : "Bun.serve";

/** The servers, in the order they are measured; the names of the bare and hono servers are shared across runtimes. */
export const FETCH_SERVERS = {
  deno: [
    {
      name: "bare server, header checked by hand",
      id: "bare",
      description: "Deno.serve; atob, split at ':', a constant-time comparison written by hand; a fixed 401",
    },
    {
      name: "@httpauth/core on Deno.serve, wired by hand",
      id: "core",
      description: "createAuthenticator([basicAuth]).authenticate() called from a Deno.serve handler; no adapter",
    },
    {
      name: "hono basicAuth",
      id: "hono",
      description: "hono's basicAuth middleware ({ username, password, realm }); app.fetch given to Deno.serve",
    },
    {
      name: "@httpauth/deno protect()",
      id: "httpauth",
      description: "Deno.serve(protect(handler, createAuthenticator([basicAuth])))",
    },
  ],
  bun: [
    {
      name: "bare server, header checked by hand",
      id: "bare",
      description: "Bun.serve; atob, split at ':', a constant-time comparison written by hand; a fixed 401",
    },
    {
      name: "@httpauth/core on Bun.serve, wired by hand",
      id: "core",
      description: "createAuthenticator([basicAuth]).authenticate() called from a Bun.serve fetch handler; no adapter",
    },
    {
      name: "hono basicAuth",
      id: "hono",
      description: "hono's basicAuth middleware ({ username, password, realm }); app.fetch given to Bun.serve",
    },
    {
      name: "@httpauth/bun protect()",
      id: "httpauth",
      description: "Bun.serve({ fetch: protect(handler, createAuthenticator([basicAuth])) })",
    },
  ],
};

/** Constant-time comparison of two strings (lengths may differ: then false, after the same loop). */
function safeEqual(received, expected) {
  let difference = received.length ^ expected.length;
  for (let index = 0; index < expected.length; index++) {
    difference |= (received.charCodeAt(index) | 0) ^ expected.charCodeAt(index);
  }
  return difference === 0;
}

/** The one `verify` of every server: both comparisons always run. */
function verify(username, password) {
  const userMatches = safeEqual(username, USERNAME);
  const passwordMatches = safeEqual(password, PASSWORD);
  return userMatches && passwordMatches ? username : undefined;
}

const CHALLENGE = `Basic realm="${REALM}", charset="UTF-8"`;
const TEXT = { "content-type": "text/plain; charset=utf-8" };

function ok() {
  return new Response("ok", { headers: TEXT });
}

async function bare() {
  return (request) => {
    const header = request.headers.get("authorization");
    if (header?.startsWith("Basic ")) {
      let decoded;
      try {
        decoded = atob(header.slice(6));
      } catch {
        decoded = "";
      }
      const colon = decoded.indexOf(":");
      if (colon !== -1 && verify(decoded.slice(0, colon), decoded.slice(colon + 1)) !== undefined) return ok();
    }
    return new Response("401 Unauthorized\n", { status: 401, headers: { "www-authenticate": CHALLENGE, ...TEXT } });
  };
}

async function core() {
  const { basicAuth, createAuthenticator } = await import("@httpauth/core");
  const authenticator = createAuthenticator({ schemes: [basicAuth({ realm: REALM, verify })] });
  return async (request) => {
    const outcome = await authenticator.authenticate({
      method: request.method,
      url: request.url,
      header: (name) => request.headers.get(name),
    });
    if (!outcome.ok) {
      const headers = new Headers();
      for (const [name, value] of outcome.headers) headers.append(name, value);
      return new Response(outcome.body, { status: outcome.status, headers });
    }
    return ok();
  };
}

async function httpauth() {
  const { basicAuth, createAuthenticator } = await import("@httpauth/core");
  const { protect } = await import(RUNTIME === "deno" ? "@httpauth/deno" : "@httpauth/bun");
  const authenticator = createAuthenticator({ schemes: [basicAuth({ realm: REALM, verify })] });
  return protect(ok, authenticator);
}

async function hono() {
  const { Hono } = await import("hono");
  const { basicAuth } = await import("hono/basic-auth");
  const app = new Hono();
  app.use(basicAuth({ username: USERNAME, password: PASSWORD, realm: REALM }));
  app.get("/", (context) => context.text("ok"));
  return app.fetch;
}

const FACTORIES = { bare, core, httpauth, hono };

/** Serves `handler` on 127.0.0.1; resolves to the port and a function that stops the server. */
function serve(handler) {
  if (RUNTIME === "deno") {
    return new Promise((resolve) => {
      const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, handler);
      resolve({ port: server.addr.port, stop: () => server.shutdown() });
    });
  }
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: handler });
  return Promise.resolve({ port: server.port, stop: () => server.stop(true) });
}

const main = RUNTIME === "deno" ? Deno.mainModule === import.meta.url : RUNTIME === "bun" && import.meta.main;
if (main) {
  const id = RUNTIME === "deno" ? Deno.args[0] : Bun.argv[2];
  const factory = FACTORIES[id];
  if (factory === undefined) {
    console.error(`unknown server ${id} for ${SERVE}; one of ${Object.keys(FACTORIES).join(", ")}`);
    RUNTIME === "deno" ? Deno.exit(2) : process.exit(2);
  }
  try {
    const { port, stop } = await serve(await factory());
    // The port, then the runtime and its version, for the results file.
    console.log(`listening ${port} ${JSON.stringify(runtimeInfo())}`);
    const quit = async () => {
      await stop();
      RUNTIME === "deno" ? Deno.exit(0) : process.exit(0);
    };
    if (RUNTIME === "deno") Deno.addSignalListener("SIGTERM", quit);
    else process.on("SIGTERM", quit);
  } catch (error) {
    console.log(`unavailable ${String(error?.message ?? error).split("\n")[0]}`);
    RUNTIME === "deno" ? Deno.exit(3) : process.exit(3);
  }
}
