// @ts-check
// The DPoP checks (issue 17, RFC 9449): each app's demo token endpoint POST /dpop/token and its
// resource GET /dpop, both with server nonces. Driven by the `dpop` npm package (proofs signed by
// code we did not write, the nonce dance done by hand) and by httpauth's createAuthFetch({ dpop })
// and createAuthFetch({ token, dpop }), which dance on their own; then the refusals a resource
// owes: a replayed proof, a proof made for another token, a token bound to another key.

import { createDpopProof, generateDpopKeyPair, parseResourceChallenges } from "@httpauth/core";
import { createAuthFetch } from "@httpauth/web";
import { generateKeyPair, generateProof } from "dpop";

export const DPOP_TOKEN_PATH = "/dpop/token";
export const DPOP_PATH = "/dpop";
const DPOP_GREETING = "hello dpop-demo-client, authenticated with DPoP on /dpop";
const TIMEOUT_MS = 20_000;
const FORM = "grant_type=client_credentials";
const FORM_TYPE = "application/x-www-form-urlencoded";

/** @typedef {{ origin: string }} DpopContext */
/** @typedef {{ name: string, run: (t: DpopContext) => Promise<string | undefined> }} DpopCheck */

/**
 * @param {unknown} condition
 * @param {string} message
 * @returns {asserts condition}
 */
function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * A request with a DPoP proof (and a DPoP token when given), by plain fetch.
 * @param {string} url
 * @param {{ method?: string, proof: string, token?: string }} options
 */
function send(url, { method = "GET", proof, token }) {
  /** @type {Record<string, string>} */
  const headers = { DPoP: proof };
  if (token !== undefined) headers.Authorization = `DPoP ${token}`;
  if (method === "POST") headers["Content-Type"] = FORM_TYPE;
  return fetch(url, {
    method,
    headers,
    ...(method === "POST" ? { body: FORM } : {}),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
}

/**
 * The `error` of the response's DPoP challenge, in any layout of WWW-Authenticate lines.
 * @param {Response} response
 */
function dpopError(response) {
  const value = response.headers.get("www-authenticate");
  if (value === null) return undefined;
  return parseResourceChallenges(value).find((challenge) => challenge.scheme === "dpop")?.error;
}

/**
 * A 401 whose DPoP challenge has `error`: the check fails otherwise, with what came.
 * @param {Response} response
 * @param {string} error
 * @param {string} what
 */
async function expectRefusal(response, error, what) {
  const got = dpopError(response);
  expect(
    response.status === 401 && got === error,
    `${what}: expected 401 DPoP error="${error}", got ${response.status} ${response.headers.get("www-authenticate")} ${(await response.text()).slice(0, 200)}`,
  );
}

/**
 * The nonce a response asks for: it must carry DPoP-Nonce.
 * @param {Response} response
 * @param {string} what
 */
function nonceOf(response, what) {
  const nonce = response.headers.get("dpop-nonce");
  expect(nonce !== null && nonce !== "", `${what}: no DPoP-Nonce header (status ${response.status})`);
  return nonce;
}

/**
 * Gets a token from /dpop/token with createAuthFetch({ dpop }), which follows use_dpop_nonce itself.
 * @param {DpopContext} t
 * @param {CryptoKeyPair} keyPair
 * @param {string[]} [log]  Gets one line per request sent.
 */
async function tokenFor(t, keyPair, log = []) {
  const counting = (/** @type {Request} */ request) => {
    log.push(`${request.method} ${new URL(request.url).pathname}`);
    return fetch(request, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  };
  const tokenFetch = createAuthFetch({ dpop: keyPair }, { fetch: counting });
  const response = await tokenFetch(`${t.origin}${DPOP_TOKEN_PATH}`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "client_credentials" }),
  });
  const body = await response.json();
  expect(
    response.status === 200 && body.token_type === "DPoP" && typeof body.access_token === "string",
    `POST ${DPOP_TOKEN_PATH}: expected 200 with a DPoP token, got ${response.status} ${JSON.stringify(body)}`,
  );
  expect(response.headers.get("cache-control") === "no-store", "the token response must have Cache-Control: no-store");
  return /** @type {string} */ (body.access_token);
}

/** @type {DpopCheck[]} */
export const DPOP_CHECKS = [
  {
    name: "dpop (npm): /dpop/token answers 400 use_dpop_nonce, then a token; /dpop 401 use_dpop_nonce, then 200; a replayed proof 401",
    run: async (t) => {
      const keyPair = await generateKeyPair("ES256");
      const tokenURL = `${t.origin}${DPOP_TOKEN_PATH}`;
      const first = await send(tokenURL, { method: "POST", proof: await generateProof(keyPair, tokenURL, "POST") });
      const firstBody = await first.json();
      expect(
        first.status === 400 && firstBody.error === "use_dpop_nonce",
        `POST ${DPOP_TOKEN_PATH} without a nonce: expected 400 use_dpop_nonce, got ${first.status} ${JSON.stringify(firstBody)}`,
      );
      const asNonce = nonceOf(first, `POST ${DPOP_TOKEN_PATH}`);
      const issued = await send(tokenURL, {
        method: "POST",
        proof: await generateProof(keyPair, tokenURL, "POST", asNonce),
      });
      const body = await issued.json();
      expect(
        issued.status === 200 && body.token_type === "DPoP" && typeof body.access_token === "string",
        `POST ${DPOP_TOKEN_PATH} with the nonce: expected 200 and a DPoP token, got ${issued.status} ${JSON.stringify(body)}`,
      );
      const token = /** @type {string} */ (body.access_token);

      const resourceURL = `${t.origin}${DPOP_PATH}`;
      const withoutNonce = await send(resourceURL, {
        proof: await generateProof(keyPair, resourceURL, "GET", undefined, token),
        token,
      });
      await expectRefusal(withoutNonce, "use_dpop_nonce", `GET ${DPOP_PATH} without a nonce`);
      const nonce = nonceOf(withoutNonce, `GET ${DPOP_PATH}`);
      const proof = await generateProof(keyPair, resourceURL, "GET", nonce, token);
      const accepted = await send(resourceURL, { proof, token });
      const text = await accepted.text();
      expect(
        accepted.status === 200 && text.includes(DPOP_GREETING),
        `GET ${DPOP_PATH}: got ${accepted.status} ${text.slice(0, 200)}`,
      );

      const replayed = await send(resourceURL, { proof, token });
      await expectRefusal(replayed, "invalid_dpop_proof", "the same proof again");
      return "5 requests: 400 use_dpop_nonce, 200 token, 401 use_dpop_nonce, 200, replay 401 invalid_dpop_proof";
    },
  },
  {
    name: "@httpauth/web createAuthFetch({ dpop }) gets a token, createAuthFetch({ token, dpop }) reads /dpop: both follow use_dpop_nonce",
    run: async (t) => {
      const keyPair = await generateDpopKeyPair();
      /** @type {string[]} */
      const log = [];
      const token = await tokenFor(t, keyPair, log);
      /** @type {string[]} */
      const resourceLog = [];
      const sent = () => resourceLog.length;
      const authFetch = createAuthFetch(
        { token, dpop: keyPair },
        {
          fetch: (request) => {
            resourceLog.push(request.method);
            return fetch(request, { signal: AbortSignal.timeout(TIMEOUT_MS) });
          },
        },
      );
      const response = await authFetch(`${t.origin}${DPOP_PATH}`);
      const text = await response.text();
      expect(
        response.status === 200 && text.includes(DPOP_GREETING),
        `GET ${DPOP_PATH}: got ${response.status} ${text.slice(0, 200)}`,
      );
      expect(log.length === 2, `the token request took ${log.length} requests, expected 2 (the nonce dance)`);
      expect(sent() === 2, `GET ${DPOP_PATH} took ${sent()} requests, expected 2 (the nonce dance)`);
      // The nonce is remembered: the next request needs no retry.
      const again = await authFetch(`${t.origin}${DPOP_PATH}`);
      await again.body?.cancel();
      expect(
        again.status === 200 && sent() === 3,
        `the next GET ${DPOP_PATH}: ${again.status}, ${sent()} requests in all`,
      );
      return "token: 2 requests, /dpop: 2 requests, then 1";
    },
  },
  {
    name: "/dpop refuses a proof made for another token (401 invalid_dpop_proof) and a token bound to another key (401 invalid_token)",
    run: async (t) => {
      const keyPair = await generateDpopKeyPair();
      const token = await tokenFor(t, keyPair);
      const url = `${t.origin}${DPOP_PATH}`;
      // A first request only to learn the resource's nonce.
      const probe = await send(url, {
        proof: await createDpopProof({ keyPair, method: "GET", url, accessToken: token }),
        token,
      });
      await probe.body?.cancel();
      const nonce = nonceOf(probe, `GET ${DPOP_PATH}`);

      const otherToken = await createDpopProof({ keyPair, method: "GET", url, accessToken: `${token}x`, nonce });
      await expectRefusal(
        await send(url, { proof: otherToken, token }),
        "invalid_dpop_proof",
        "a proof for another token",
      );

      const otherKey = await generateKeyPair("ES256");
      const wrongKey = await generateProof(otherKey, url, "GET", nonce, token);
      await expectRefusal(await send(url, { proof: wrongKey, token }), "invalid_token", "a proof by another key");
      return "another token's ath: invalid_dpop_proof; another key: invalid_token";
    },
  },
];
