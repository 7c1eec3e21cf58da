// @ts-check
// The checks every app must pass, each counted on its own. A check throws to fail and returns a
// short note (what the client sent or saw) to print beside its name. A client that is not
// available fails its checks: nothing is skipped.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseChallenges, parseResourceMetadata } from "@httpauth/core";
import { createAuthFetch } from "@httpauth/web";
import DigestClient from "digest-fetch";
import { request as urllibRequest } from "urllib";
import { DPOP_CHECKS } from "./dpop-checks.mjs";
import { PYTHON, rawGet, runCommand, summarize, tap } from "./harness.mjs";
import { OAUTH_CHECKS } from "./oauth-checks.mjs";

export const REALM = "httpauth demo";
export const DEFAULTS = { user: "alice", password: "wonderland", token: "demo-token" };
export const SECOND_USER = { user: "jäsøn", password: "pässwörd" };
const CLIENT_TIMEOUT_MS = 20_000;

/**
 * How an app writes several challenges: one WWW-Authenticate line each (node:http, Deno), or
 * all joined on one line (Bun.serve and workerd join the values of one header name: a runtime
 * limitation). A joined line is a valid list, but browsers and most clients read one challenge
 * per line, so the routes list first the scheme browsers should use.
 * @type {Record<string, "separate" | "joined">}
 */
export const LAYOUTS = {
  node: "separate",
  deno: "separate",
  bun: "joined",
  workerd: "joined",
  fastify: "separate",
  koa: "separate",
  hono: "joined",
  "hono-bun": "joined",
  "hono-deno": "separate",
  "hono-workerd": "joined",
};

/**
 * Apps that send at most one Digest challenge (the first algorithm), because their responses
 * reach the wire joined: hono's httpAuth(), @httpauth/web's protect() (workerd) and
 * @httpauth/bun's protect() do so by default (createFailureResponse's
 * `digestChallenges: "first"`). The other algorithms are still accepted.
 */
export const ONE_DIGEST_CHALLENGE = new Set(["hono", "hono-deno", "hono-bun", "hono-workerd", "bun", "workerd"]);

/**
 * @typedef {object} Context
 * @property {string} app
 * @property {"separate" | "joined"} layout
 * @property {string} origin
 * @property {number} port
 * @property {() => string} output              What the app printed.
 * @property {Map<string, string>} unavailable  Clients that could not be installed, and why.
 * @property {() => Promise<import("playwright-core").Browser>} browser  Headless Chromium, launched once.
 */

/** @typedef {{ name: string, run: (t: Context) => Promise<string | undefined> }} Check */

/**
 * @param {unknown} condition
 * @param {string} message
 * @returns {asserts condition}
 */
function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * @param {Context} t
 * @param {string} client
 */
function needs(t, client) {
  const why = t.unavailable.get(client);
  if (why !== undefined) throw new Error(`${client} is not available: ${why}`);
}

/**
 * The response must be 200 with the greeting naming `user`, `scheme` and `path`.
 * @param {number} status
 * @param {string} body
 * @param {string} user
 * @param {string} scheme
 * @param {string} path
 */
function expectGreeting(status, body, user, scheme, path) {
  const expected = `hello ${user}, authenticated with ${scheme} on ${path}`;
  expect(
    status === 200 && body.includes(expected),
    `expected 200 "${expected}", got ${status} ${JSON.stringify(body.slice(0, 200))}`,
  );
}

/** The scheme and Digest algorithm of an Authorization value, without the secret parts. */
function describeAuthorization(/** @type {string | null | undefined} */ value) {
  if (!value) return "no Authorization";
  const scheme = value.split(" ", 1)[0] ?? "";
  const algorithm = /algorithm="?([\w-]+)/i.exec(value)?.[1];
  return algorithm === undefined ? `sent ${scheme}` : `sent ${scheme} ${algorithm}`;
}

// ── Clients ────────────────────────────────────────────────────────────────

/**
 * Runs curl (verbose, to see what it sent) and splits its answer.
 * @param {Context} t
 * @param {string[]} options
 * @param {string} path
 */
async function curl(t, options, path) {
  needs(t, "curl");
  const result = await runCommand(
    [
      "curl",
      "-sS",
      "-v",
      "--noproxy",
      "*",
      "--max-time",
      "15",
      "-w",
      "\n%{http_code}",
      ...options,
      `${t.origin}${path}`,
    ],
    { timeoutMs: CLIENT_TIMEOUT_MS },
  );
  expect(result.error === undefined && result.code === 0, `curl failed: ${summarize(result)}`);
  const cut = result.stdout.lastIndexOf("\n");
  const sent = [...result.stderr.matchAll(/^> Authorization: (.*)$/gim)].map((match) => match[1]?.trim());
  return { status: Number(result.stdout.slice(cut + 1)), body: result.stdout.slice(0, cut), sent: sent.at(-1) };
}

/**
 * @param {Context} t
 * @param {string} path
 */
async function wget(t, path) {
  needs(t, "wget");
  const result = await runCommand(
    [
      "wget",
      "-nv",
      "-O",
      "-",
      "--no-config",
      "--no-proxy",
      "--tries=1",
      "--timeout=15",
      `--user=${DEFAULTS.user}`,
      `--password=${DEFAULTS.password}`,
      `${t.origin}${path}`,
    ],
    { timeoutMs: CLIENT_TIMEOUT_MS },
  );
  expect(result.error === undefined && result.code === 0, `wget failed: ${summarize(result)}`);
  return result.stdout;
}

// Python clients print one JSON line: { status, body, sent } (sent: the Authorization header).
const URLLIB = `
import json, sys, urllib.error, urllib.request
url, kind, user, password = sys.argv[1:5]
manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
manager.add_password(None, url, user, password)
handler = (urllib.request.HTTPBasicAuthHandler if kind == "basic" else urllib.request.HTTPDigestAuthHandler)(manager)
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), handler)
try:
    with opener.open(url, timeout=15) as response:
        status, body = response.status, response.read()
except urllib.error.HTTPError as error:
    status, body = error.code, error.read()
print(json.dumps({"status": status, "body": body.decode("utf-8", "replace"), "sent": None}))
`;

const REQUESTS = `
import base64, json, sys, requests
from requests.auth import HTTPBasicAuth, HTTPDigestAuth
url, kind, user, password = sys.argv[1:5]
session = requests.Session()
session.trust_env = False
auth = HTTPBasicAuth(user, password) if kind == "basic" else HTTPDigestAuth(user, password)
response = session.get(url, auth=auth, timeout=15)
sent = response.request.headers.get("Authorization")
latin1 = None
if sent and sent.startswith("Basic "):
    latin1 = base64.b64decode(sent[6:]) == (user + ":" + password).encode("latin-1")
print(json.dumps({"status": response.status_code, "body": response.text, "sent": sent, "latin1": latin1}))
`;

/**
 * @param {Context} t
 * @param {"urllib" | "requests"} library
 * @param {"basic" | "digest"} kind
 * @param {string} path
 * @param {{ user: string, password: string }} credentials
 * @returns {Promise<{ status: number, body: string, sent: string | null, latin1?: boolean | null }>}
 */
async function python(t, library, kind, path, credentials) {
  needs(t, library === "requests" ? "python3-requests" : "python3");
  const script = library === "urllib" ? URLLIB : REQUESTS;
  const result = await runCommand(
    [PYTHON, "-c", script, `${t.origin}${path}`, kind, credentials.user, credentials.password],
    {
      env: { ...process.env, PYTHONUTF8: "1", PYTHONIOENCODING: "utf-8" },
      timeoutMs: CLIENT_TIMEOUT_MS,
    },
  );
  expect(result.error === undefined && result.code === 0, `python3 failed: ${summarize(result)}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "");
}

/**
 * Opens `path` in a fresh headless Chromium context that answers challenges with `httpCredentials`.
 * @param {Context} t
 * @param {string} path
 */
async function chromium(t, path) {
  needs(t, "chromium");
  needs(t, "playwright-core");
  const browser = await t.browser();
  // Through a relay that notes what Chromium sent: it adds credentials inside its network stack.
  const relay = await tap(t.port);
  const context = await browser.newContext({
    httpCredentials: { username: DEFAULTS.user, password: DEFAULTS.password },
  });
  try {
    const page = await context.newPage();
    const response = await page.goto(`${relay.origin}${path}`, { timeout: CLIENT_TIMEOUT_MS });
    expect(response !== null, "no response");
    const text = (await page.textContent("body", { timeout: 5_000 })) ?? "";
    const sent = relay.authorizations(path);
    return { status: response.status(), text, sent: sent.at(-1), requests: sent.length };
  } finally {
    await context.close();
    await relay.close();
  }
}

/**
 * @param {Context} t
 * @param {import("@httpauth/web").AuthFetchCredentials} credentials
 * @param {string} path
 */
async function authFetch(t, credentials, path) {
  /** @type {Array<string | null>} */
  const sent = [];
  const fetchWithAuth = createAuthFetch(credentials, {
    fetch: (request) => {
      sent.push(request.headers.get("authorization"));
      return fetch(request, { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
    },
  });
  const response = await fetchWithAuth(`${t.origin}${path}`);
  return { status: response.status, body: await response.text(), sent: sent.at(-1) };
}

/**
 * npm's digest-fetch 3.1.1: reads the first challenge's nonce (the SHA-256 one) and answers with MD5.
 * @param {Context} t
 * @param {string} path
 */
async function digestFetch(t, path) {
  const client = new DigestClient(A.user, A.password);
  /** @type {Array<{ headers: Record<string, string> }>} */
  const requests = [];
  const response = await client.fetch(`${t.origin}${path}`, {
    // digest-fetch calls the factory for each request and sets headers.Authorization on what it returns.
    factory: () => {
      const options = { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS), headers: {} };
      requests.push(options);
      return options;
    },
  });
  return { status: response.status, body: await response.text(), sent: requests.at(-1)?.headers.Authorization };
}

/**
 * npm's urllib 4 with its digestAuth option: MD5 over the nonce of the first Digest challenge it finds.
 * @param {Context} t
 * @param {string} path
 */
async function urllib(t, path) {
  const response = await urllibRequest(`${t.origin}${path}`, {
    digestAuth: `${A.user}:${A.password}`,
    dataType: "text",
    timeout: CLIENT_TIMEOUT_MS,
  });
  return { status: response.status, body: String(response.data) };
}

// ── The wire ───────────────────────────────────────────────────────────────

/**
 * The WWW-Authenticate lines of a raw response.
 * @param {Array<[string, string]>} fields
 */
function challengeLines(fields) {
  return fields.filter(([name]) => name.toLowerCase() === "www-authenticate").map(([, value]) => value);
}

/**
 * Checks a 401's challenges: every expected one, in order, each with the realm, laid out as
 * the app's runtime lays them out. Returns a note naming the layout seen.
 * @param {Context} t
 * @param {string} path
 * @param {string[]} expected  `scheme` or `scheme algorithm`, lower-case scheme.
 */
async function expectChallenges(t, path, expected) {
  if (ONE_DIGEST_CHALLENGE.has(t.app)) {
    const firstDigest = expected.findIndex((name) => name.startsWith("digest"));
    expected = expected.filter((name, index) => !name.startsWith("digest") || index === firstDigest);
  }
  const { status, fields } = await rawGet(t.port, path);
  expect(status === 401, `status ${status}`);
  const lines = challengeLines(fields);
  const perLine = lines.map((line) => parseChallenges(line));
  const challenges = perLine.flat();
  const names = challenges.map((challenge) => [challenge.scheme, challenge.params.algorithm].filter(Boolean).join(" "));
  expect(
    names.join(", ") === expected.join(", "),
    `challenges ${names.join(", ") || "(none)"}, expected ${expected.join(", ")}`,
  );
  for (const challenge of challenges) {
    expect(challenge.params.realm === REALM, `a ${challenge.scheme} challenge with realm ${challenge.params.realm}`);
    expect(
      challenge.params.error === undefined,
      `a ${challenge.scheme} challenge with error= on a request without credentials`,
    );
  }
  const counts = perLine.map((list) => list.length).join("+");
  if (expected.length > 1) {
    if (t.layout === "separate") {
      expect(
        perLine.every((list) => list.length === 1),
        `expected one line per challenge, got ${counts} challenges per line`,
      );
    } else {
      expect(lines.length === 1, `expected all challenges joined on one line, got ${counts} challenges per line`);
    }
  }
  return lines.length === 1 && expected.length > 1
    ? `layout: all ${expected.length} challenges JOINED on 1 WWW-Authenticate line`
    : `layout: ${lines.length} WWW-Authenticate line(s), one challenge each`;
}

// ── The checks ─────────────────────────────────────────────────────────────

const A = DEFAULTS;
const userPass = `${A.user}:${A.password}`;

/** @type {Check[]} */
export const CHECKS = [
  {
    name: "start: the banner prints the URL and the credentials in use",
    run: async (t) => {
      const output = t.output();
      for (const text of [
        `${t.origin}/`,
        `${A.user} / ${A.password}`,
        `${SECOND_USER.user} / ${SECOND_USER.password}`,
        A.token,
      ]) {
        expect(output.includes(text), `the banner does not show ${text}`);
      }
      return undefined;
    },
  },
  {
    name: "GET / is public and lists every route",
    run: async (t) => {
      const response = await fetch(`${t.origin}/`, { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
      const body = await response.text();
      expect(response.status === 200, `status ${response.status}`);
      for (const path of [
        "/basic",
        "/digest",
        "/digest-md5",
        "/bearer",
        "/bearer/admin",
        "/any",
        "/legacy",
        "/oauth/resource",
        "/dpop/token",
        "/dpop",
      ]) {
        expect(body.includes(`  ${path} `), `/ does not list ${path}`);
      }
      return undefined;
    },
  },
  {
    name: "README.md: the httpauth-lint commands for the clone run and exit as their comments say",
    run: async (t) => {
      const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
      const prefix = "npx -y pnpm@12.4.2 --dir apps/node exec httpauth-lint ";
      const lines = readFileSync(join(root, "README.md"), "utf8")
        .split("\n")
        .filter((line) => line.startsWith(prefix));
      expect(lines.length > 0, "README.md has no pnpm httpauth-lint command");
      const notes = [];
      for (const line of lines) {
        const [command = "", comment = ""] = line.split("#");
        const expected = /exit (\d)/.exec(comment)?.[1];
        expect(expected !== undefined, `no "exit N" in the comment of: ${line}`);
        // The README's command with the app's origin for the demo's, and the pinned pnpm of node_modules for npx's.
        const argv = command.trim().replace("http://127.0.0.1:8080", t.origin).split(/\s+/).slice(3);
        const result = await runCommand([join(root, "node_modules", ".bin", "pnpm"), ...argv], { cwd: root });
        expect(
          String(result.code) === expected,
          `exit ${result.code}, the README says ${expected}: ${line}\n${result.stdout}${result.stderr}`,
        );
        notes.push(`${new URL(argv.at(-1) ?? "").pathname} exit ${result.code}`);
      }
      return notes.join(", ");
    },
  },
  {
    name: "an unknown path is 404",
    run: async (t) => {
      const { status } = await rawGet(t.port, "/nowhere");
      expect(status === 404, `status ${status}`);
      return undefined;
    },
  },

  // Negative cases, read from the wire.
  {
    name: 'no credentials on /basic: 401, exactly `Basic realm="httpauth demo", charset="UTF-8"`',
    run: async (t) => {
      const { status, fields } = await rawGet(t.port, "/basic");
      const lines = challengeLines(fields);
      expect(status === 401, `status ${status}`);
      expect(
        lines.length === 1 && lines[0] === `Basic realm="${REALM}", charset="UTF-8"`,
        `WWW-Authenticate lines ${JSON.stringify(lines)}`,
      );
      return undefined;
    },
  },
  {
    name: "no credentials on /digest: 401, Digest SHA-256 then MD5, each with the realm",
    run: (t) => expectChallenges(t, "/digest", ["digest SHA-256", "digest MD5"]),
  },
  {
    name: "no credentials on /any: 401, Digest SHA-256, Digest MD5, Basic, Bearer, each with the realm",
    run: (t) => expectChallenges(t, "/any", ["digest SHA-256", "digest MD5", "basic", "bearer"]),
  },
  {
    name: "no credentials on /bearer: 401, Bearer with the realm and no error",
    run: (t) => expectChallenges(t, "/bearer", ["bearer"]),
  },
  {
    name: "wrong password on /basic: 401 with the challenge",
    run: async (t) => {
      const { status, fields } = await rawGet(t.port, "/basic", {
        Authorization: `Basic ${Buffer.from(`${A.user}:not-the-password`).toString("base64")}`,
      });
      expect(status === 401, `status ${status}`);
      expect(challengeLines(fields).length === 1, "no challenge");
      return undefined;
    },
  },
  {
    name: "wrong password with curl --digest on /digest: 401",
    run: async (t) => {
      const { status } = await curl(t, ["--digest", "-u", `${A.user}:not-the-password`], "/digest");
      expect(status === 401, `status ${status}`);
      return undefined;
    },
  },
  {
    name: 'a bad bearer token on /bearer: 401, Bearer error="invalid_token"',
    run: async (t) => {
      const { status, fields } = await rawGet(t.port, "/bearer", { Authorization: "Bearer not-the-token" });
      const challenges = parseChallenges(challengeLines(fields));
      expect(status === 401, `status ${status}`);
      expect(
        challenges.length === 1 &&
          challenges[0]?.params.error === "invalid_token" &&
          challenges[0].params.realm === REALM,
        `challenges ${JSON.stringify(challengeLines(fields))}`,
      );
      return undefined;
    },
  },
  {
    name: '/bearer/admin with the demo token: 403, Bearer error="insufficient_scope", scope="admin"',
    run: async (t) => {
      const { status, fields } = await rawGet(t.port, "/bearer/admin", { Authorization: `Bearer ${A.token}` });
      const challenges = parseChallenges(challengeLines(fields));
      expect(status === 403, `status ${status}`);
      const params = challenges[0]?.params;
      expect(
        challenges.length === 1 && params?.error === "insufficient_scope" && params.scope === "admin",
        `challenges ${JSON.stringify(challengeLines(fields))}`,
      );
      return undefined;
    },
  },
  {
    name: "/oauth/resource: 401 with resource_metadata (RFC 9728), whose document names it; the demo token gets 200",
    run: async (t) => {
      const { status, fields } = await rawGet(t.port, "/oauth/resource");
      const challenges = parseChallenges(challengeLines(fields));
      const url = `${t.origin}/.well-known/oauth-protected-resource/oauth/resource`;
      expect(status === 401, `status ${status}`);
      expect(
        challenges.length === 1 && challenges[0]?.scheme === "bearer" && challenges[0].params.resource_metadata === url,
        `challenges ${JSON.stringify(challengeLines(fields))}`,
      );
      const response = await fetch(url, { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
      expect(response.status === 200, `the metadata: status ${response.status}`);
      expect(
        response.headers.get("access-control-allow-origin") === "*",
        "the metadata is not readable from other origins",
      );
      const document = parseResourceMetadata(await response.text(), { resource: `${t.origin}/oauth/resource` });
      expect(document.authorization_servers?.length === 1, `authorization_servers ${document.authorization_servers}`);
      const allowed = await rawGet(t.port, "/oauth/resource", { Authorization: `Bearer ${A.token}` });
      expect(allowed.status === 200, `with the demo token: status ${allowed.status}`);
      return `resource_metadata=${url}`;
    },
  },
  {
    name: "/legacy without credentials: 403 and no challenge at all",
    run: async (t) => {
      const { status, fields } = await rawGet(t.port, "/legacy");
      expect(status === 403, `status ${status}`);
      expect(challengeLines(fields).length === 0, `WWW-Authenticate ${JSON.stringify(challengeLines(fields))}`);
      return undefined;
    },
  },
  {
    name: "/legacy with curl -u: 200 (only missing credentials get the old 403)",
    run: async (t) => {
      const { status, body } = await curl(t, ["-u", userPass], "/legacy");
      expectGreeting(status, body, A.user, "Basic", "/legacy");
      return undefined;
    },
  },

  // curl
  {
    name: "curl -u on /basic",
    run: async (t) => {
      const { status, body, sent } = await curl(t, ["-u", userPass], "/basic");
      expectGreeting(status, body, A.user, "Basic", "/basic");
      return describeAuthorization(sent);
    },
  },
  {
    name: "curl --digest on /digest",
    run: async (t) => {
      const { status, body, sent } = await curl(t, ["--digest", "-u", userPass], "/digest");
      expectGreeting(status, body, A.user, "Digest", "/digest");
      return describeAuthorization(sent);
    },
  },
  {
    name: "curl --digest on /digest-md5",
    run: async (t) => {
      const { status, body, sent } = await curl(t, ["--digest", "-u", userPass], "/digest-md5");
      expectGreeting(status, body, A.user, "Digest", "/digest-md5");
      return describeAuthorization(sent);
    },
  },
  {
    name: "curl --anyauth on /any",
    run: async (t) => {
      const { status, body, sent } = await curl(t, ["--anyauth", "-u", userPass], "/any");
      const scheme = /authenticated with (\w+)/.exec(body)?.[1] ?? "";
      expectGreeting(status, body, A.user, scheme, "/any");
      return describeAuthorization(sent);
    },
  },

  // wget: it sends credentials only after a challenge, so it needs the realm'd challenge.
  {
    name: "wget --user/--password on /basic",
    run: async (t) => {
      expectGreeting(200, await wget(t, "/basic"), A.user, "Basic", "/basic");
      return undefined;
    },
  },
  {
    name: "wget --user/--password on /digest-md5",
    run: async (t) => {
      expectGreeting(200, await wget(t, "/digest-md5"), A.user, "Digest", "/digest-md5");
      return undefined;
    },
  },

  // Python's urllib: it never answers a Basic challenge without realm.
  {
    name: "urllib HTTPBasicAuthHandler + HTTPPasswordMgrWithDefaultRealm on /basic",
    run: async (t) => {
      const { status, body } = await python(t, "urllib", "basic", "/basic", A);
      expectGreeting(status, body, A.user, "Basic", "/basic");
      return undefined;
    },
  },
  {
    name: "urllib HTTPDigestAuthHandler on /digest-md5",
    run: async (t) => {
      const { status, body } = await python(t, "urllib", "digest", "/digest-md5", A);
      expectGreeting(status, body, A.user, "Digest", "/digest-md5");
      return undefined;
    },
  },

  // python3-requests
  {
    name: `requests HTTPBasicAuth as ${SECOND_USER.user} / ${SECOND_USER.password} (sent as Latin-1) on /basic`,
    run: async (t) => {
      const { status, body, latin1 } = await python(t, "requests", "basic", "/basic", SECOND_USER);
      expectGreeting(status, body, SECOND_USER.user, "Basic", "/basic");
      return latin1 ? "requests sent the user-pass in Latin-1; core decoded it" : "requests sent UTF-8";
    },
  },
  {
    name: "requests HTTPDigestAuth on /digest",
    run: async (t) => {
      const { status, body, sent } = await python(t, "requests", "digest", "/digest", A);
      expectGreeting(status, body, A.user, "Digest", "/digest");
      return describeAuthorization(sent);
    },
  },

  // Node clients that answer the first challenge's nonce with MD5 (issue 14): the route offers
  // MD5 too, so a nonce issued for any offered algorithm is accepted.
  {
    name: "digest-fetch (npm) on /digest: MD5 over the SHA-256 challenge's nonce",
    run: async (t) => {
      const { status, body, sent } = await digestFetch(t, "/digest");
      expectGreeting(status, body, A.user, "Digest", "/digest");
      return `${describeAuthorization(sent)} over the first challenge's nonce`;
    },
  },
  {
    name: "urllib (npm) digestAuth on /digest: MD5, no algorithm parameter",
    run: async (t) => {
      const { status, body } = await urllib(t, "/digest");
      expectGreeting(status, body, A.user, "Digest", "/digest");
      if (ONE_DIGEST_CHALLENGE.has(t.app)) return "read the one Digest challenge of the joined line";
      return t.layout === "joined"
        ? "read one joined WWW-Authenticate line (its last nonce)"
        : "read the first Digest line";
    },
  },

  // Headless Chromium, through playwright-core, answering with httpCredentials.
  {
    name: "Chromium with httpCredentials on /basic",
    run: async (t) => {
      const { status, text, sent, requests } = await chromium(t, "/basic");
      expectGreeting(status, text, A.user, "Basic", "/basic");
      return `${describeAuthorization(sent)} (request ${requests} for /basic)`;
    },
  },
  {
    name: "Chromium with httpCredentials on /digest",
    run: async (t) => {
      const { status, text, sent, requests } = await chromium(t, "/digest");
      expectGreeting(status, text, A.user, "Digest", "/digest");
      return `${describeAuthorization(sent)} (request ${requests} for /digest)`;
    },
  },

  {
    name: "Chromium with httpCredentials on /any (Digest listed first)",
    run: async (t) => {
      const { status, text, sent, requests } = await chromium(t, "/any");
      expectGreeting(status, text, A.user, "Digest", "/any");
      return `${describeAuthorization(sent)} (request ${requests} for /any)`;
    },
  },
  {
    name: "Chromium on /legacy: 403, and it never sends the credentials it has",
    run: async (t) => {
      const { status, sent, requests } = await chromium(t, "/legacy");
      expect(status === 403, `status ${status}`);
      expect(sent === undefined && requests === 1, `${requests} request(s), the last ${describeAuthorization(sent)}`);
      return undefined;
    },
  },

  // httpauth's own client.
  {
    name: "@httpauth/web createAuthFetch on /basic",
    run: async (t) => {
      const { status, body, sent } = await authFetch(t, { username: A.user, password: A.password }, "/basic");
      expectGreeting(status, body, A.user, "Basic", "/basic");
      return describeAuthorization(sent);
    },
  },
  {
    name: "@httpauth/web createAuthFetch on /digest",
    run: async (t) => {
      const { status, body, sent } = await authFetch(t, { username: A.user, password: A.password }, "/digest");
      expectGreeting(status, body, A.user, "Digest", "/digest");
      return describeAuthorization(sent);
    },
  },
  {
    name: "@httpauth/web createAuthFetch on /bearer",
    run: async (t) => {
      const { status, body, sent } = await authFetch(t, { token: A.token }, "/bearer");
      expectGreeting(status, body, A.user, "Bearer", "/bearer");
      return describeAuthorization(sent);
    },
  },

  // OAuth resource server (issue 16): GET /oauth/resource read by httpauth, oauth4webapi and the MCP SDK.
  ...OAUTH_CHECKS,

  // DPoP (issue 17): the demo token endpoint and GET /dpop, with the dpop npm package and createAuthFetch.
  ...DPOP_CHECKS,
];
