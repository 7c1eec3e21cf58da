// The Next.js recipe of README.md ("Next.js"): a proxy.ts (middleware.ts) Basic-protecting a
// site, tested as the Fetch handler Next.js calls: a Request in, a Response or nothing out.

import { basicAuth, createAuthenticator } from "@httpauth/core";
import { describe, expect, test } from "vitest";
import { createAuthRequest, createFailureResponse } from "../src/index.ts";

const STAGING_PASSWORD = "correct horse";

const authenticator = createAuthenticator({
  schemes: [
    basicAuth({
      realm: "staging",
      verify: (username, password) => (username === "team" && password === STAGING_PASSWORD ? username : undefined),
    }),
  ],
});

// As in the README, less the `export` and `config`.
async function proxy(request: Request): Promise<Response | undefined> {
  const outcome = await authenticator.authenticate(createAuthRequest(request));
  if (!outcome.ok) return createFailureResponse(outcome);
  return undefined;
}

function withAuthorization(value: string): Request {
  return new Request("https://staging.example/pricing", { headers: { Authorization: value } });
}

describe("the Next.js proxy.ts recipe", () => {
  test("proxy() answers 401 with the Basic challenge and lets the team through", async () => {
    const refused = await proxy(new Request("https://staging.example/"));
    expect(refused?.status).toBe(401);
    expect(refused?.headers.get("www-authenticate")).toBe('Basic realm="staging", charset="UTF-8"');
    expect(await proxy(withAuthorization(`Basic ${btoa(`team:${STAGING_PASSWORD}`)}`))).toBeUndefined();
  });

  test("proxy() refuses wrong, malformed, oversized and hostile credentials with 401", async () => {
    const values = [
      `Basic ${btoa("team:wrong")}`,
      `Basic ${btoa("intruder:correct horse")}`,
      "Basic",
      "Basic %%%",
      "Basic dGVhbQ", // no ':' and bad padding
      `Basic ${"A".repeat(100_000)}`,
      "Bearer token",
      'Basic realm="x", Basic ,,,',
      `Basic ${btoa("team:correct horse\u0000")}`,
    ];
    for (const value of values) {
      const response = await proxy(withAuthorization(value));
      expect(response?.status, value.slice(0, 30)).toBe(401);
      expect(await response?.text()).not.toContain("correct horse");
    }
  });

  test("proxy() reads a NextRequest-like subclass of Request", async () => {
    class NextLikeRequest extends Request {
      readonly nextUrl: URL = new URL(this.url);
    }
    const response = await proxy(new NextLikeRequest("https://staging.example/a?b=c"));
    expect(response?.status).toBe(401);
  });
});
