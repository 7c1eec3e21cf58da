// Timing side channels: does a near miss (differs in the last character)
// take longer than a far miss (differs in the first)? An early-exit
// comparison answers a far miss sooner, and an attacker who can measure that
// can find a secret one character at a time. httpauth compares secrets as
// fixed-length digests, so both should cost the same.
//
//   node benchmarks/timing.mjs [--quick] [--json]
//
// Cases:
//   @httpauth/node timingSafeEqual on a 32-character token, and through a
//     Basic verify callback in authenticate();
//   @httpauth/core verifyDigestCredentials with a wrong response digest;
//   a positive control: `===` on 1 MiB strings, which exits at the first
//     difference — the method must see that gap — beside timingSafeEqual on
//     the same strings.
//
// Method: every variant of a case is timed in batches, interleaved round by
// round in a shuffled order (drift and GC land on all variants alike). Each
// sample is the mean ns per call of one batch. Reported per variant: median,
// interquartile range; per case: the difference of medians (near − far) with
// a 95% bootstrap interval, beside the same interval for two far misses built
// alike (an A/A pair: what the method reports for inputs that cannot differ).
// "no measurable difference" means the near − far interval reaches no further
// from 0 than the A/A pair; a leak by early exit would put it well above.
// Nothing here is asserted by a test: the numbers are the result.
// With --json, writes benchmarks/results/timing-node.json.

import { randomBytes } from "node:crypto";
import {
  basicAuth,
  computeDigestCredentials,
  createAuthenticator,
  createDigestChallenge,
  serializeBasicCredentials,
  serializeCredentials,
  verifyDigestCredentials,
} from "@httpauth/core";
import { timingSafeEqual } from "@httpauth/node";
import { runtimeInfo, scriptArguments } from "./lib/environment.mjs";

const quick = scriptArguments().includes("--quick");
const ROUNDS = quick ? 40 : 300;

let sink = 0;

const HEX = "0123456789abcdef";
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * Replaces the character at `index` of `text` with another one of its
 * alphabet (hex, or base64url): the result stays well-formed, so that the
 * only difference is where the comparison meets the first wrong character.
 */
function flip(text, index, alphabet) {
  const position = alphabet.indexOf(text[index]);
  if (position === -1) throw new Error(`${JSON.stringify(text[index])} is not in the alphabet`);
  return text.slice(0, index) + alphabet[position ^ 1] + text.slice(index + 1);
}

/** A flat (not rope) copy of a string, as a server's HTTP parser hands strings over. */
function flat(text) {
  return Buffer.from(text, "latin1").toString("latin1");
}

/** Mean ns per call of `calls` calls of `run`, awaited when `isAsync`. */
async function batch(run, calls, isAsync) {
  const start = process.hrtime.bigint();
  if (isAsync) {
    for (let index = 0; index < calls; index++) sink ^= (await run()) ? 1 : 0;
  } else {
    for (let index = 0; index < calls; index++) sink ^= run() ? 1 : 0;
  }
  return Number(process.hrtime.bigint() - start) / calls;
}

function quantile(sorted, q) {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

function median(values) {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** A deterministic generator for the bootstrap, so that the interval is reproducible for the same samples. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** 95% bootstrap interval of median(a) − median(b). */
function bootstrapDifference(a, b, resamples = 2000) {
  const next = random(0x5eed);
  const draw = (values) => {
    const sample = new Array(values.length);
    for (let index = 0; index < values.length; index++) sample[index] = values[Math.floor(next() * values.length)];
    return median(sample);
  };
  const differences = [];
  for (let index = 0; index < resamples; index++) differences.push(draw(a) - draw(b));
  differences.sort((x, y) => x - y);
  return [quantile(differences, 0.025), quantile(differences, 0.975)];
}

function shuffle(list, next) {
  const copy = [...list];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}

/** Times every variant of a case, interleaved; returns the report of the case. */
async function measureCase({ name, calls, isAsync = false, variants }) {
  for (const variant of variants) {
    const expected = await variant.run();
    if (expected !== variant.expect) throw new Error(`${name} / ${variant.name}: returned ${expected}`);
    for (let index = 0; index < 3; index++) await batch(variant.run, calls, isAsync);
  }
  const samples = Object.fromEntries(variants.map((variant) => [variant.name, []]));
  const next = random(0xc0ffee);
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of shuffle(variants, next)) samples[variant.name].push(await batch(variant.run, calls, isAsync));
  }
  const rows = variants.map((variant) => {
    const sorted = [...samples[variant.name]].sort((a, b) => a - b);
    return {
      variant: variant.name,
      "median ns": Number(quantile(sorted, 0.5).toFixed(1)),
      "p25 ns": Number(quantile(sorted, 0.25).toFixed(1)),
      "p75 ns": Number(quantile(sorted, 0.75).toFixed(1)),
    };
  });
  const near = samples["near miss"];
  const far = samples["far miss"];
  const copy = samples["far miss (copy)"];
  const difference = median(near) - median(far);
  const [low, high] = bootstrapDifference(near, far);
  // Two identical inputs: how far apart the method puts things that cannot differ.
  const [copyLow, copyHigh] = bootstrapDifference(copy, far);
  const noise = Math.max(Math.abs(copyLow), Math.abs(copyHigh));
  let verdict = "no measurable difference";
  if (low > noise) verdict = "near miss slower: an early exit shows";
  else if (high < -noise) verdict = "near miss faster (not an early exit)";
  return {
    case: name,
    calls,
    rounds: ROUNDS,
    rows,
    "near − far ns": Number(difference.toFixed(1)),
    "95% interval ns": [Number(low.toFixed(1)), Number(high.toFixed(1))],
    "near − far %": Number(((difference / median(far)) * 100).toFixed(2)),
    "far copy − far, 95% interval ns": [Number(copyLow.toFixed(1)), Number(copyHigh.toFixed(1))],
    verdict,
  };
}

// ── Cases ───────────────────────────────────────────────────────────────────
// Each case has a near miss, a far miss, and a second far miss built the same
// way (another string, the same characters): the A/A pair that shows how far
// apart two identical inputs measure.

const token = randomBytes(24).toString("base64url"); // 32 characters
const bigSecret = flat(randomBytes(512 * 1024).toString("hex")); // 1 MiB of hex

/** `() => timingSafeEqual(received, expected)` with `received` as a flat string of its own. */
function compare(received, expected) {
  const flatReceived = flat(received);
  return () => timingSafeEqual(flatReceived, expected);
}

const cases = [
  {
    name: "@httpauth/node timingSafeEqual, 32-character token",
    calls: 2000,
    variants: [
      { name: "equal", expect: true, run: compare(token, token) },
      { name: "near miss", expect: false, run: compare(flip(token, 31, BASE64URL), token) },
      { name: "far miss", expect: false, run: compare(flip(token, 0, BASE64URL), token) },
      { name: "far miss (copy)", expect: false, run: compare(flip(token, 0, BASE64URL), token) },
      { name: "shorter by one", expect: false, run: compare(token.slice(0, 31), token) },
    ],
  },
];

// Basic through authenticate(), the verify callback comparing with timingSafeEqual.
{
  const password = randomBytes(24).toString("base64url");
  const authenticator = createAuthenticator({
    schemes: [
      basicAuth({
        realm: "api",
        verify: (username, received) =>
          username === "ada" && timingSafeEqual(received, password) ? username : undefined,
      }),
    ],
  });
  const requestWith = (candidate) => {
    const header = flat(serializeBasicCredentials({ username: "ada", password: candidate }));
    const request = { method: "GET", url: "/", header: (name) => (name === "authorization" ? header : undefined) };
    return async () => (await authenticator.authenticate(request)).ok;
  };
  cases.push({
    name: "Basic authenticate(), verify with timingSafeEqual",
    calls: 500,
    isAsync: true,
    variants: [
      { name: "equal", expect: true, run: requestWith(password) },
      { name: "near miss", expect: false, run: requestWith(flip(password, password.length - 1, BASE64URL)) },
      { name: "far miss", expect: false, run: requestWith(flip(password, 0, BASE64URL)) },
      { name: "far miss (copy)", expect: false, run: requestWith(flip(password, 0, BASE64URL)) },
    ],
  });
}

// Digest: a response digest wrong in its last hex digit, or in its first.
{
  const secret = "a server secret of at least sixteen bytes";
  const challenge = await createDigestChallenge({ realm: "api", secret });
  const credentials = await computeDigestCredentials(challenge, {
    username: "Mufasa",
    password: "Circle of Life",
    method: "GET",
    uri: "/dir/index.html",
    cnonce: "0a4f113b",
    nc: 1,
  });
  const options = {
    method: "GET",
    uri: "/dir/index.html",
    realm: "api",
    secret,
    nonceCounts: false,
    password: (username) => (username === "Mufasa" ? "Circle of Life" : undefined),
    // A fixed clock inside the nonce's lifetime, so that every call takes the same path.
    now: Date.now(),
  };
  const response = credentials.params.response;
  const withResponse = (value) => {
    const header = flat(serializeCredentials({ scheme: "digest", params: { ...credentials.params, response: value } }));
    return async () => (await verifyDigestCredentials(header, options)).ok;
  };
  cases.push({
    name: "Digest verifyDigestCredentials, SHA-256 response",
    calls: 200,
    isAsync: true,
    variants: [
      { name: "equal", expect: true, run: withResponse(response) },
      { name: "near miss", expect: false, run: withResponse(flip(response, response.length - 1, HEX)) },
      { name: "far miss", expect: false, run: withResponse(flip(response, 0, HEX)) },
      { name: "far miss (copy)", expect: false, run: withResponse(flip(response, 0, HEX)) },
    ],
  });
}

// Positive control: the same 1 MiB strings through `===` (exits at the first difference) and timingSafeEqual.
{
  const near = flat(flip(bigSecret, bigSecret.length - 1, HEX));
  const far = flat(flip(bigSecret, 0, HEX));
  const farCopy = flat(flip(bigSecret, 0, HEX));
  cases.push(
    {
      name: "control: === on 1 MiB strings",
      calls: 20,
      variants: [
        { name: "near miss", expect: false, run: () => near === bigSecret },
        { name: "far miss", expect: false, run: () => far === bigSecret },
        { name: "far miss (copy)", expect: false, run: () => farCopy === bigSecret },
      ],
    },
    {
      name: "control: timingSafeEqual on the same 1 MiB strings",
      calls: 2,
      variants: [
        { name: "near miss", expect: false, run: () => timingSafeEqual(near, bigSecret) },
        { name: "far miss", expect: false, run: () => timingSafeEqual(far, bigSecret) },
        { name: "far miss (copy)", expect: false, run: () => timingSafeEqual(farCopy, bigSecret) },
      ],
    },
  );
}

// ── Run ─────────────────────────────────────────────────────────────────────

const runtime = runtimeInfo();
const reports = [];
for (const entry of cases) {
  const report = await measureCase(entry);
  reports.push(report);
  console.log(`\n${report.case} (${report.calls} calls per sample, ${report.rounds} samples per variant)`);
  console.table(report.rows);
  console.log(
    `near − far: ${report["near − far ns"]} ns (${report["near − far %"]}%), 95% interval [${report["95% interval ns"].join(", ")}] ns; ` +
      `two identical far misses: [${report["far copy − far, 95% interval ns"].join(", ")}] ns → ${report.verdict}`,
  );
}
if (sink === -1) console.log(sink);

if (scriptArguments().includes("--json")) {
  const { mkdirSync, writeFileSync } = await import("node:fs");
  const folder = new URL(quick ? "./results/quick/" : "./results/", import.meta.url);
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    new URL(`timing-${runtime.name}.json`, folder),
    `${JSON.stringify({ runtime: `${runtime.name} ${runtime.version}`, unit: "ns per call", cases: reports }, null, 2)}\n`,
  );
}
