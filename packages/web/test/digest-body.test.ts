// Digest auth-int over the Fetch API (issue 13 point 7): a body core cannot
// see (over maxBodyLength) must not be checked as an empty body.

import {
  computeDigestCredentials,
  createAuthenticator,
  digestAuth,
  parseChallenges,
  serializeCredentials,
} from "@httpauth/core";
import { describe, expect, test } from "vitest";
import { protect } from "../src/index.ts";

const SECRET = "a server secret of at least sixteen bytes";

function authInt() {
  return createAuthenticator({
    schemes: [
      digestAuth({
        realm: "api",
        secret: SECRET,
        qop: ["auth-int"],
        password: (user) => (user === "ada" ? "secret" : undefined),
      }),
    ],
  });
}

async function credentialsFor(
  handler: (request: Request) => Promise<Response>,
  url: string,
  body: string,
): Promise<string> {
  const refused = await handler(new Request(url, { method: "POST" }));
  const [challenge] = parseChallenges(refused.headers.get("www-authenticate") ?? "");
  const credentials = await computeDigestCredentials(challenge!, {
    username: "ada",
    password: "secret",
    method: "POST",
    uri: new URL(url).pathname,
    body,
  });
  return serializeCredentials(credentials);
}

describe("protect() and Digest auth-int", () => {
  test("protect() refuses auth-int over a body larger than maxBodyLength, signed as an empty body", async () => {
    const handler = protect(
      async (request) => new Response(`stored ${(await request.text()).length} bytes`),
      authInt(),
      {
        maxBodyLength: 1024,
      },
    );
    const url = "https://api.example/upload";
    // The attacker holds a digest over an empty body (or captured one) and attaches any large body.
    const forged = await credentialsFor(handler, url, "");
    for (const declared of [true, false]) {
      const body = "x".repeat(4096);
      const init: RequestInit & { duplex?: "half" } = { method: "POST", headers: { Authorization: forged } };
      if (declared) init.body = body;
      else {
        init.body = new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(body));
            controller.close();
          },
        });
        init.duplex = "half";
      }
      const response = await handler(new Request(url, init));
      expect({ declared, status: response.status }).toEqual({ declared, status: 401 });
    }
  });

  test("protect() accepts auth-int over a body within maxBodyLength, and over no body at all", async () => {
    const handler = protect(async (request) => new Response(await request.text()), authInt());
    const url = "https://api.example/upload";
    const signed = await credentialsFor(handler, url, "amount=100");
    const ok = await handler(
      new Request(url, { method: "POST", headers: { Authorization: signed }, body: "amount=100" }),
    );
    expect([ok.status, await ok.text()]).toEqual([200, "amount=100"]);
    const empty = await credentialsFor(handler, url, "");
    const none = await handler(new Request(url, { method: "POST", headers: { Authorization: empty } }));
    expect(none.status).toBe(200);
    const tampered = await credentialsFor(handler, url, "amount=100");
    const changed = await handler(
      new Request(url, { method: "POST", headers: { Authorization: tampered }, body: "amount=999" }),
    );
    expect(changed.status).toBe(401);
  });
});
