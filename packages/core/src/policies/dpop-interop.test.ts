// Interop: proofs made by other DPoP clients (the `dpop` package and
// oauth4webapi, exact-pinned devDependencies) are accepted by dpopAuth.

import { generateKeyPair, generateProof } from "dpop";
import * as oauth from "oauth4webapi";
import { expect, test } from "vitest";
import { createAuthenticator } from "../authenticator.ts";
import { computeJwkThumbprint } from "../schemes/dpop/keys.ts";
import { dpopAuth } from "./dpop.ts";

async function authenticatorFor(publicKey: CryptoKey) {
  const jkt = await computeJwkThumbprint(await crypto.subtle.exportKey("jwk", publicKey));
  return createAuthenticator({
    schemes: [dpopAuth({ verify: (token) => (token === "t0k3n" ? { identity: "ada", cnf: { jkt } } : undefined) })],
  });
}

function request(headers: Headers, url: string, method = "GET") {
  return { method, url, header: (name: string) => headers.get(name) };
}

test("a proof from the dpop package is accepted (ES256 and PS256)", async () => {
  for (const alg of ["ES256", "PS256"] as const) {
    const keyPair = await generateKeyPair(alg);
    const url = "https://api.example/data";
    const proof = await generateProof(keyPair, url, "GET", undefined, "t0k3n");
    const headers = new Headers({ authorization: "DPoP t0k3n", dpop: proof });
    const outcome = await (await authenticatorFor(keyPair.publicKey)).authenticate(request(headers, url));
    expect(outcome.ok, alg).toBe(true);
  }
});

test("a proof from oauth4webapi's protectedResourceRequest is accepted", async () => {
  const keyPair = await oauth.generateKeyPair("ES256");
  let captured: Headers | undefined;
  const fetch = async (_input: unknown, init?: { headers?: HeadersInit }) => {
    captured = new Headers(init?.headers);
    return new Response("{}", { status: 200 });
  };
  const url = new URL("https://api.example/data?x=1");
  const DPoP = oauth.DPoP({} as never, keyPair);
  await oauth.protectedResourceRequest("t0k3n", "GET", url, new Headers(), null, {
    DPoP,
    [oauth.customFetch]: fetch as never,
  });
  expect(captured?.get("authorization")).toBe("DPoP t0k3n");
  const outcome = await (await authenticatorFor(keyPair.publicKey)).authenticate(request(captured!, url.href));
  expect(outcome.ok).toBe(true);
});
