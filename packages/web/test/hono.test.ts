// @httpauth/web/hono with a real hono app: statuses, challenges, the typed
// identity, Authentication-Info after next(), one Digest challenge, and
// malformed, oversized and hostile input. Over the wire on @hono/node-server
// in apps/e2e (the hono app).

import {
  basicAuth,
  bearerAuth,
  computeDigestCredentials,
  createAuthenticator,
  digestAuth,
  parseChallenges,
  serializeCredentials,
} from "@httpauth/core";
import { Hono } from "hono";
import { describe, expect, expectTypeOf, test } from "vitest";
import { type HonoAuthEnv, httpAuth } from "../src/hono.ts";

const basic = createAuthenticator({
  schemes: [
    basicAuth({ realm: "hono", verify: (user, password) => (password === "secret" ? { name: user } : undefined) }),
  ],
});
const both = createAuthenticator({
  schemes: [
    digestAuth({
      realm: "hono",
      secret: "a test secret of some length",
      algorithms: ["SHA-256", "MD5"],
      password: (user) => (user === "ada" ? "secret" : undefined),
    }),
    basicAuth({ realm: "hono", verify: (user, password) => (password === "secret" ? { name: user } : undefined) }),
  ],
});
const ADA = `Basic ${btoa("ada:secret")}`;

function basicApp(): Hono<HonoAuthEnv<{ name: string }>> {
  const app = new Hono<HonoAuthEnv<{ name: string }>>();
  app.use("/admin/*", httpAuth(basic));
  app.get("/admin/me", (c) => c.text(`hello ${c.get("auth").identity.name} by ${c.get("auth").scheme}`));
  app.get("/public", (c) => c.text("public"));
  return app;
}

describe("httpAuth() on hono", () => {
  test("httpAuth() answers 401 with the challenge and lets authenticated requests through", async () => {
    const app = basicApp();
    const refused = await app.request("/admin/me");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toBe('Basic realm="hono", charset="UTF-8"');
    expect(await refused.text()).toMatch(/^401 Unauthorized/);
    const allowed = await app.request("/admin/me", { headers: { Authorization: ADA } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toBe("hello ada by basic");
    expect((await app.request("/public")).status).toBe(200);
  });

  test("httpAuth() types c.get() through HonoAuthEnv and a custom variable name", async () => {
    const app = new Hono<HonoAuthEnv<{ name: string }, "user">>();
    app.use("*", httpAuth(basic, { variable: "user" }));
    app.get("/", (c) => {
      expectTypeOf(c.get("user").identity).toEqualTypeOf<{ name: string }>();
      return c.json(c.get("user"));
    });
    const response = await app.request("/", { headers: { Authorization: ADA } });
    expect(await response.json()).toEqual({ identity: { name: "ada" }, scheme: "basic" });
  });

  test("httpAuth() refuses wrong passwords and bad credentials with the outcome's status", async () => {
    const app = basicApp();
    const wrong = await app.request("/admin/me", { headers: { Authorization: `Basic ${btoa("ada:nope")}` } });
    expect(wrong.status).toBe(401);
    for (const value of ["Basic", "Basic !!!", "Basic ====", `Basic ${"A".repeat(70_000)}`, "Digest ,,,", "\u00ff"]) {
      const response = await Promise.resolve()
        .then(() => app.request("/admin/me", { headers: { Authorization: value } }))
        .catch(() => undefined);
      if (response === undefined) continue; // the Headers class refused the value
      expect([400, 401]).toContain(response.status);
      expect(await response.text()).not.toContain(value.slice(6, 40) || "\u0000");
    }
  });

  test("httpAuth() sends one Digest challenge by default and all with digestChallenges: all", async () => {
    const app = new Hono();
    app.use("/one/*", httpAuth(both));
    app.use("/all/*", httpAuth(both, { digestChallenges: "all" }));
    app.get("*", (c) => c.text("ok"));
    const one = parseChallenges((await app.request("/one/x")).headers.get("www-authenticate") ?? "");
    expect(one.map((challenge) => [challenge.scheme, challenge.params.algorithm])).toEqual([
      ["digest", "SHA-256"],
      ["basic", undefined],
    ]);
    const all = parseChallenges((await app.request("/all/x")).headers.get("www-authenticate") ?? "");
    expect(all.map((challenge) => challenge.params.algorithm ?? challenge.scheme)).toEqual(["SHA-256", "MD5", "basic"]);
  });

  test("httpAuth() appends Authentication-Info after next(), also to an immutable response", async () => {
    const app = new Hono();
    app.use("*", httpAuth(both));
    app.get("/plain", (c) => c.text("plain"));
    app.get("/immutable", () => Response.redirect("https://example.org/", 302));
    for (const [path, status] of [
      ["/plain", 200],
      ["/immutable", 302],
    ] as const) {
      const refused = await app.request(path);
      const [challenge] = parseChallenges(refused.headers.get("www-authenticate") ?? "");
      if (challenge === undefined) throw new Error("no challenge");
      const credentials = await computeDigestCredentials(challenge, {
        username: "ada",
        password: "secret",
        method: "GET",
        uri: path,
        cnonce: "0a4f113b",
        nc: 1,
      });
      const response = await app.request(path, { headers: { Authorization: serializeCredentials(credentials) } });
      expect(response.status).toBe(status);
      expect(response.headers.get("authentication-info")).toMatch(/rspauth="/);
    }
  });

  test("httpAuth() answers 403 insufficient_scope per route authenticator", async () => {
    const admin = createAuthenticator({
      schemes: [bearerAuth({ realm: "api", scopes: ["admin"], verify: () => ({ identity: "svc", scopes: ["read"] }) })],
    });
    const app = new Hono();
    app.get("/admin", httpAuth(admin), (c) => c.text("admin"));
    const response = await app.request("/admin", { headers: { Authorization: "Bearer t0k3n" } });
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toMatch(/error="insufficient_scope"/);
  });

  test("httpAuth() takes per-route scopes: 403 insufficient_scope on one route, 200 on another, one authenticator", async () => {
    const api = createAuthenticator({
      schemes: [
        bearerAuth({
          realm: "api",
          verify: (token) => (token === "reader" ? { identity: { name: "r" }, scopes: ["read"] } : undefined),
        }),
      ],
    });
    const app = new Hono<HonoAuthEnv<{ name: string }>>();
    app.get("/reports", httpAuth(api, { scopes: ["read"] }), (c) => c.text(`${c.get("auth").identity.name} reads`));
    app.post("/reports", httpAuth(api, { scopes: ["read", "write"] }), (c) => c.text("saved"));
    // The function form sees hono's context: scopes by method on one middleware.
    app.use("/items/*", httpAuth(api, { scopes: (c) => (c.req.raw.method === "GET" ? ["read"] : ["write"]) }));
    app.all("/items/x", (c) => c.text("item"));
    const headers = { Authorization: "Bearer reader" };

    const read = await app.request("/reports", { headers });
    expect(read.status).toBe(200);
    expect(await read.text()).toBe("r reads");
    const write = await app.request("/reports", { method: "POST", headers });
    expect(write.status).toBe(403);
    expect(write.headers.get("www-authenticate")).toBe(
      'Bearer realm="api", scope="read write", error="insufficient_scope"',
    );
    expect(await write.text()).not.toBe("saved");
    expect((await app.request("/items/x", { headers })).status).toBe(200);
    expect((await app.request("/items/x", { method: "DELETE", headers })).status).toBe(403);
    // Without a token: 401 naming no error, whatever the route's scopes.
    const anonymous = await app.request("/reports", { method: "POST" });
    expect(anonymous.status).toBe(401);
  });

  test("httpAuth() refuses scopes that are not a list or a function, and core refuses scopes that are not scope-tokens", async () => {
    for (const scopes of ["read", 1, { read: true }, null]) {
      expect(() => httpAuth(basic, { scopes } as never)).toThrow(
        /options\.scopes must be a list of scopes or a function/,
      );
    }
    const app = new Hono();
    app.onError((error, c) => c.text(error instanceof TypeError ? "TypeError" : "other", 500));
    app.get("/space", httpAuth(basic, { scopes: ["read write"] }), (c) => c.text("never"));
    app.get("/quote", httpAuth(basic, { scopes: () => ['"'] }), (c) => c.text("never"));
    for (const path of ["/space", "/quote"]) {
      const response = await app.request(path, { headers: { Authorization: ADA } });
      expect(response.status).toBe(500);
      expect(await response.text()).toBe("TypeError");
    }
  });

  test("httpAuth() passes CORS preflights unless corsPreflight is authenticate", async () => {
    const app = new Hono();
    app.use("/pass", httpAuth(basic));
    app.use("/strict", httpAuth(basic, { corsPreflight: "authenticate" }));
    app.options("*", (c) => c.body(null, 204));
    const preflight = {
      method: "OPTIONS",
      headers: { Origin: "https://a.example", "Access-Control-Request-Method": "GET" },
    };
    expect((await app.request("/pass", preflight)).status).toBe(204);
    expect((await app.request("/strict", preflight)).status).toBe(401);
  });

  test("httpAuth() hands the client address to throttling and a throwing verify to onError", async () => {
    const throttled = createAuthenticator({
      schemes: [basicAuth({ realm: "t", verify: () => undefined })],
      throttle: { maxFailures: 1, window: 60 },
    });
    const app = new Hono();
    app.use("/t", httpAuth(throttled, { clientAddress: () => "192.0.2.1" }));
    app.get("/t", (c) => c.text("never"));
    const wrong = { headers: { Authorization: `Basic ${btoa("ada:x")}` } };
    expect((await app.request("/t", wrong)).status).toBe(401);
    expect((await app.request("/t", wrong)).status).toBe(429);

    const broken = createAuthenticator({
      schemes: [
        basicAuth({
          realm: "b",
          verify: () => {
            throw new Error("store down");
          },
        }),
      ],
    });
    const failing = new Hono();
    failing.use("*", httpAuth(broken));
    failing.get("/", (c) => c.text("never"));
    failing.onError((error, c) => c.text(`error: ${error.message}`, 500));
    const response = await failing.request("/", { headers: { Authorization: ADA } });
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("error: store down");
  });

  test("httpAuth() ignores a body longer than maxBodyLength", async () => {
    const bearer = createAuthenticator({
      schemes: [
        bearerAuth({
          realm: "api",
          sources: { body: true },
          verify: (token) => (token === "t" ? { identity: "x" } : undefined),
        }),
      ],
    });
    const app = new Hono();
    app.use("*", httpAuth(bearer, { maxBodyLength: 8 }));
    app.post("/", (c) => c.text("ok"));
    const body = `access_token=t&padding=${"x".repeat(1000)}`;
    const response = await app.request("/", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    expect(response.status).toBe(401);
  });

  test("httpAuth() checks its arguments", () => {
    for (const bad of [undefined, null, {}, { authenticate: 1 }, "x"]) {
      expect(() => httpAuth(bad as never)).toThrow(TypeError);
    }
    expect(() => httpAuth(basic, "x" as never)).toThrow(TypeError);
    expect(() => httpAuth(basic, { variable: "" })).toThrow(TypeError);
    expect(() => httpAuth(basic, { variable: 1 as never })).toThrow(TypeError);
    expect(() => httpAuth(basic, { clientAddress: "x" as never })).toThrow(TypeError);
    expect(() => httpAuth(basic, { corsPreflight: "skip" as never })).toThrow(TypeError);
    expect(() => httpAuth(basic, { digestChallenges: "none" as never })).toThrow(TypeError);
    expect(() => httpAuth(basic, { maxBodyLength: -1 })).toThrow(RangeError);
    expect(() => httpAuth(basic, { maxBodyLength: 1.5 })).toThrow(RangeError);
  });
});
