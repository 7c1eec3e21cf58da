// @ts-check
// Two instances, one store: two sample apps started with the same REDIS_URL (one real
// redis-server on a free loopback port, installed from Debian's package when missing) and the
// same HTTPAUTH_SECRET, as behind a load balancer. A Digest request accepted by instance A is
// refused by instance B; failures spread over A and B are throttled as one count; SCRIPT
// FLUSH, a dead redis-server and a restarted one are survived without ever letting a request
// through.
//
//   node shared-store.mjs              A = apps/node, B = apps/node
//   node shared-store.mjs node bun     A = apps/node, B = apps/bun
//
// Prints one line per check and ends with `e2e shared-store: N passed, M failed`.

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { computeDigestCredentials, parseChallenges, serializeCredentials } from "@httpauth/core";
import { startRedisServer } from "@httpauth/testkit/redis-server";
import { THROTTLE_FAILURES } from "../shared/demo.mjs";
import { killEverything, sleep, startApp } from "./harness.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const APPS = ["node", "bun"];
const USER = "alice";
const PASSWORD = "wonderland";
const BASIC = `Basic ${btoa(`${USER}:${PASSWORD}`)}`;

/** @typedef {import("./harness.mjs").RunningApp} RunningApp */

/**
 * GET `path` from `app`.
 * @param {RunningApp} app
 * @param {string} path
 * @param {string} [authorization]
 */
async function get(app, path, authorization) {
  const response = await fetch(`${app.origin}${path}`, {
    headers: authorization === undefined ? {} : { authorization },
    signal: AbortSignal.timeout(15_000),
  });
  await response.arrayBuffer();
  return response;
}

/**
 * A Digest SHA-256 challenge from `app` for `/digest`, for computeDigestCredentials to count on.
 * @param {RunningApp} app
 */
async function digestChallenge(app) {
  const response = await get(app, "/digest");
  const challenge = parseChallenges(response.headers.get("www-authenticate") ?? "").find(
    (candidate) => candidate.scheme === "digest" && candidate.params.algorithm === "SHA-256",
  );
  if (challenge === undefined) throw new Error(`no Digest SHA-256 challenge from ${app.origin}/digest`);
  return challenge;
}

/**
 * The Authorization value answering `challenge` with count `nc`.
 * @param {import("@httpauth/core").Challenge} challenge
 * @param {number} nc
 */
async function digestAuthorization(challenge, nc) {
  const credentials = await computeDigestCredentials(challenge, {
    username: USER,
    password: PASSWORD,
    method: "GET",
    uri: "/digest",
    nc,
  });
  return serializeCredentials(credentials);
}

/**
 * @param {Response} response
 * @param {number} status
 * @param {string} what
 */
function expectStatus(response, status, what) {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status}`);
}

/**
 * Polls until both apps answer 200 to the demo user on /basic (after a restart), for up to 20 s.
 * @param {RunningApp[]} apps
 */
async function waitUntilBack(apps) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const statuses = await Promise.all(
      apps.map((app) => get(app, "/basic", BASIC).then((response) => response.status)),
    );
    if (statuses.every((status) => status === 200)) return;
    if (Date.now() > deadline) throw new Error(`not back within 20 s: ${statuses.join(", ")}`);
    await sleep(250);
  }
}

/**
 * The checks, in order (each depends on the state the ones before left).
 * @type {Array<{ name: string, run: (context: { a: RunningApp, b: RunningApp, redis: import("@httpauth/testkit/redis-server").RedisServer }) => Promise<string | void> }>}
 */
const CHECKS = [
  {
    name: "both instances keep their state in the one redis-server",
    async run({ a, b }) {
      for (const app of [a, b]) {
        if (!app.output().includes("state: Redis"))
          throw new Error(`${app.origin} did not report Redis:\n${app.output()}`);
        expectStatus(await get(app, "/basic", BASIC), 200, `${app.origin}/basic`);
      }
    },
  },
  {
    name: "a Digest request accepted by A is refused by B (replay), and B takes A's nonce with the next count",
    async run({ a, b }) {
      const challenge = await digestChallenge(a);
      const first = await digestAuthorization(challenge, 1);
      expectStatus(await get(a, "/digest", first), 200, "nc=1 on A");
      const replayed = await get(b, "/digest", first);
      expectStatus(replayed, 401, "the same request on B");
      if (!/stale=(?:"true"|true)/i.test(replayed.headers.get("www-authenticate") ?? "")) {
        throw new Error("B refused the replay without stale=true (a replay is not a wrong password)");
      }
      expectStatus(await get(a, "/digest", first), 401, "the same request on A again");
      expectStatus(await get(b, "/digest", await digestAuthorization(challenge, 2)), 200, "nc=2 on B");
      return "200 on A, 401 stale=true on B, nc=2 accepted on B";
    },
  },
  {
    name: `failures spread over A and B count as one: ${THROTTLE_FAILURES} wrong passwords, then 429 from both`,
    async run({ a, b }) {
      const user = `mallory-${Math.random().toString(36).slice(2, 8)}`;
      const wrong = `Basic ${btoa(`${user}:not-the-password`)}`;
      for (let index = 0; index < THROTTLE_FAILURES; index++) {
        const app = index % 2 === 0 ? a : b;
        expectStatus(await get(app, "/basic", wrong), 401, `failure ${index + 1} on ${app === a ? "A" : "B"}`);
      }
      for (const [label, app] of /** @type {const} */ ([
        ["A", a],
        ["B", b],
      ])) {
        const throttled = await get(app, "/basic", wrong);
        expectStatus(throttled, 429, `failure ${THROTTLE_FAILURES + 1} on ${label}`);
        if (!/^\d+$/.test(throttled.headers.get("retry-after") ?? ""))
          throw new Error(`429 on ${label} without Retry-After`);
      }
      expectStatus(await get(a, "/basic", BASIC), 200, "another user on A");
      return `${THROTTLE_FAILURES / 2} failures on each, then 429 with Retry-After on A and B`;
    },
  },
  {
    name: "after SCRIPT FLUSH both instances work again at once (EVALSHA → NOSCRIPT → EVAL)",
    async run({ a, b, redis }) {
      const flushed = await redis.command("SCRIPT FLUSH");
      if (flushed !== "+OK") throw new Error(`SCRIPT FLUSH answered ${flushed}`);
      const challenge = await digestChallenge(b);
      const first = await digestAuthorization(challenge, 1);
      expectStatus(await get(b, "/digest", first), 200, "Digest nc=1 on B");
      expectStatus(await get(a, "/digest", first), 401, "its replay on A");
      expectStatus(await get(a, "/basic", `Basic ${btoa(`${USER}:wrong`)}`), 401, "a wrong password on A");
      expectStatus(await get(b, "/basic", BASIC), 200, "Basic on B");
    },
  },
  {
    name: "while redis-server is down, guarded routes answer 500: never 200, never 401",
    async run({ a, b, redis }) {
      await redis.kill();
      const right = await get(a, "/basic", BASIC);
      const wrong = await get(b, "/basic", `Basic ${btoa(`${USER}:wrong`)}`);
      const digest = await get(b, "/digest", await digestAuthorization(await digestChallenge(a), 1));
      expectStatus(right, 500, "the right password on A");
      expectStatus(wrong, 500, "a wrong password on B");
      expectStatus(digest, 500, "a Digest request on B");
      expectStatus(await get(a, "/"), 200, "the public page on A");
      return "500 for right, wrong and Digest credentials; / still 200";
    },
  },
  {
    name: "after a redis-server restart both instances work again",
    async run({ a, b, redis }) {
      await redis.restart();
      await waitUntilBack([a, b]);
      const challenge = await digestChallenge(a);
      const first = await digestAuthorization(challenge, 1);
      expectStatus(await get(a, "/digest", first), 200, "Digest nc=1 on A");
      expectStatus(await get(b, "/digest", first), 401, "its replay on B");
    },
  },
];

async function main() {
  const names = process.argv.slice(2);
  const [nameA = "node", nameB = nameA] = names;
  if (![nameA, nameB].every((name) => APPS.includes(name))) {
    console.log(`the apps with a Redis store are ${APPS.join(", ")}`);
    console.log("e2e shared-store: 0 passed, 1 failed");
    return 1;
  }
  const started = Date.now();
  let passed = 0;
  let failed = 0;
  const redis = await startRedisServer();
  const settings = { REDIS_URL: redis.url, HTTPAUTH_SECRET: `e2e-${crypto.randomUUID()}` };
  /** @type {RunningApp[]} */
  const apps = [];
  try {
    console.log(`redis-server on ${redis.url}; A = apps/${nameA}, B = apps/${nameB}`);
    for (const name of [nameA, nameB]) apps.push(await startApp(root, name, settings));
    const [a, b] = /** @type {[RunningApp, RunningApp]} */ (apps);
    console.log(`   A listening on ${a.origin}, B on ${b.origin}`);
    for (const check of CHECKS) {
      try {
        const note = await check.run({ a, b, redis });
        passed++;
        console.log(`✓ ${check.name}${note ? ` — ${note}` : ""}`);
      } catch (error) {
        failed++;
        console.log(
          `✗ ${check.name}\n    ${String(error instanceof Error ? error.message : error).replaceAll("\n", "\n    ")}`,
        );
      }
    }
  } catch (error) {
    failed++;
    console.log(`✗ the instances did not start: ${error instanceof Error ? error.message : error}`);
  } finally {
    for (const app of apps) await app.stop();
    await redis.stop();
  }
  console.log(`   ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`e2e shared-store: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.log(`the shared-store suite broke: ${error?.stack ?? error}`);
    killEverything();
    console.log("e2e shared-store: 0 passed, 1 failed");
    process.exitCode = 1;
  },
);
