// The demo DPoP token endpoint of ../shared/demo.mjs (dpopTokenResponse) and its /dpop resource,
// called directly: every error answer, the nonce dance, replay, the bounded token map, and the
// capped body reader. The e2e checks (dpop-checks.mjs) run the happy path against every app.

import { createDpopProof, generateDpopKeyPair } from "@httpauth/core";
import { beforeAll, describe, expect, test } from "vitest";
import {
  createAuthenticators,
  DPOP_RESOURCE_PATH,
  DPOP_TOKEN_PATH,
  dpopTokenResponse,
  readCredentials,
  readTextBody,
} from "../shared/demo.mjs";

const ORIGIN = "http://127.0.0.1:8080";
const TOKEN_URL = `${ORIGIN}${DPOP_TOKEN_PATH}`;
const FORM = "application/x-www-form-urlencoded";

/** @type {import("@httpauth/core").Authenticator<string>} */
let resource;

beforeAll(() => {
  const authenticators = createAuthenticators(readCredentials(() => undefined));
  const found = authenticators.get(DPOP_RESOURCE_PATH);
  if (found === undefined) throw new Error("no /dpop authenticator");
  resource = found;
});

/**
 * A token request as node:http gives it (a path, a Host header); `body: undefined` stands for a body
 * over the cap, which the apps do not read.
 * @param {{ method?: string, type?: string, body?: string, proof?: string }} options
 */
function tokenRequest(options = {}) {
  const { method = "POST", type = FORM, proof } = options;
  const body = "body" in options ? options.body : "grant_type=client_credentials";
  /** @type {Record<string, string>} */
  const headers = { host: "127.0.0.1:8080", "content-type": type };
  if (proof !== undefined) headers.dpop = proof;
  return dpopTokenResponse({ method, url: DPOP_TOKEN_PATH, header: (name) => headers[name], body });
}

/**
 * The DPoP-Nonce of an answer; the test fails without one.
 * @param {{ headers: Array<[string, string]> }} answer
 * @returns {string}
 */
function nonceOf(answer) {
  const nonce = new Map(answer.headers).get("DPoP-Nonce");
  if (nonce === undefined) throw new Error("no DPoP-Nonce");
  return nonce;
}

/** @param {{ body: string }} answer */
function json(answer) {
  return JSON.parse(answer.body);
}

/**
 * A token for `keyPair`, through the nonce dance.
 * @param {CryptoKeyPair} keyPair
 */
async function issue(keyPair) {
  const asked = await tokenRequest({ proof: await createDpopProof({ keyPair, method: "POST", url: TOKEN_URL }) });
  const nonce = nonceOf(asked);
  const answer = await tokenRequest({
    proof: await createDpopProof({ keyPair, method: "POST", url: TOKEN_URL, nonce }),
  });
  return { nonce, answer };
}

/**
 * GET /dpop with a token and a proof, through the nonce dance.
 * @param {string} token
 * @param {CryptoKeyPair} keyPair
 * @param {string} nonce
 */
async function readResource(token, keyPair, nonce) {
  const url = `${ORIGIN}${DPOP_RESOURCE_PATH}`;
  const proof = await createDpopProof({ keyPair, method: "GET", url, accessToken: token, nonce });
  /** @type {Record<string, string>} */
  const headers = { authorization: `DPoP ${token}`, dpop: proof, host: "127.0.0.1:8080" };
  return resource.authenticate({
    method: "GET",
    url: DPOP_RESOURCE_PATH,
    header: (name) => headers[name],
    clientAddress: "127.0.0.1",
  });
}

describe("dpopTokenResponse()", () => {
  test("dpopTokenResponse() refuses a method, a body and a grant it does not take", async () => {
    const cases = [
      [{ method: "GET" }, 405, "invalid_request"],
      [{ type: "application/json", body: '{"grant_type":"client_credentials"}' }, 400, "invalid_request"],
      [{ body: undefined }, 400, "invalid_request"],
      [{ body: "scope=read" }, 400, "invalid_request"],
      [{ body: "grant_type=password&username=a&password=b" }, 400, "unsupported_grant_type"],
      [{}, 400, "invalid_dpop_proof"],
      [{ proof: "not.a.proof" }, 400, "invalid_dpop_proof"],
    ];
    for (const [options, status, error] of cases) {
      const answer = await tokenRequest(/** @type {any} */ (options));
      expect(answer.status).toBe(status);
      expect(json(answer).error).toBe(error);
      expect(new Map(answer.headers).get("Cache-Control")).toBe("no-store");
    }
    const notAllowed = await tokenRequest({ method: "GET" });
    expect(new Map(notAllowed.headers).get("Allow")).toBe("POST");
  });

  test("dpopTokenResponse() asks for a nonce, then binds a token to the proof key; a replayed proof is refused", async () => {
    const keyPair = await generateDpopKeyPair();
    const first = await tokenRequest({ proof: await createDpopProof({ keyPair, method: "POST", url: TOKEN_URL }) });
    expect(first.status).toBe(400);
    expect(json(first).error).toBe("use_dpop_nonce");
    const nonce = nonceOf(first);
    expect(nonce).toMatch(/^[!#-[\]-~]+$/);

    const proof = await createDpopProof({ keyPair, method: "POST", url: TOKEN_URL, nonce });
    const issued = await tokenRequest({ proof });
    expect(issued.status).toBe(200);
    const body = json(issued);
    expect(body).toEqual({ access_token: expect.stringMatching(/^[\w-]{43}$/), token_type: "DPoP", expires_in: 300 });

    const replayed = await tokenRequest({ proof });
    expect(replayed.status).toBe(400);
    expect(json(replayed).error).toBe("invalid_dpop_proof");

    const elsewhere = await tokenRequest({
      proof: await createDpopProof({ keyPair, method: "POST", url: `${ORIGIN}/other`, nonce }),
    });
    expect(json(elsewhere).error).toBe("invalid_dpop_proof");

    const outcome = await readResource(body.access_token, keyPair, nonce);
    expect(outcome.ok).toBe(true);
    // Bound to this key: the same token with another key's proof is refused.
    const other = await readResource(body.access_token, await generateDpopKeyPair(), nonce);
    expect(other.ok === false && other.reason).toBe("invalid-token");
  });

  test("the demo keeps at most 1000 DPoP tokens: the oldest is forgotten", async () => {
    const keyPair = await generateDpopKeyPair();
    const { nonce, answer } = await issue(keyPair);
    const oldest = json(answer).access_token;
    expect((await readResource(oldest, keyPair, nonce)).ok).toBe(true);
    for (let index = 0; index < 1000; index++) {
      const proof = await createDpopProof({ keyPair, method: "POST", url: TOKEN_URL, nonce });
      expect((await tokenRequest({ proof })).status).toBe(200);
    }
    const refused = await readResource(oldest, keyPair, nonce);
    expect(refused.ok).toBe(false);
    expect(refused.ok === false && refused.status).toBe(401);
  });
});

describe("readTextBody()", () => {
  test("readTextBody() reads up to its cap, across chunks and split characters, and no further", async () => {
    const bytes = new TextEncoder().encode("grant_type=é");
    const chunks = [bytes.subarray(0, bytes.length - 1), bytes.subarray(bytes.length - 1)];
    expect(await readTextBody(new Response(new Blob(chunks)).body)).toBe("grant_type=é");
    expect(
      await readTextBody(
        (async function* () {
          yield* chunks;
        })(),
      ),
    ).toBe("grant_type=é");
    expect(await readTextBody(new Response("x".repeat(4096)).body)).toBe("x".repeat(4096));
    expect(await readTextBody(new Response("x".repeat(4097)).body)).toBeUndefined();
    expect(await readTextBody(null)).toBe("");
  });
});
