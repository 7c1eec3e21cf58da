// Type tests (issue 14): the identity type of createAuthenticator() follows
// from its schemes whether they are written inline or hoisted to consts, for
// every factory, and mixed identity types give a union. `pnpm typecheck`
// compiles this file (tsconfig.test.json); vitest runs it, where
// expectTypeOf() does nothing.

import { describe, expectTypeOf, test } from "vitest";
import type {
  AuthContext,
  Authenticator,
  AuthOutcome,
  AuthSchemePolicy,
  BearerGrant,
  IdentityOf,
} from "../src/index.ts";
import { basicAuth, bearerAuth, createAuthenticator, digestAuth } from "../src/index.ts";

interface User {
  id: number;
  name: string;
}

// Stand-ins for the app's own functions in the examples: only their types matter.
const secret = "a nonce secret of at least sixteen bytes";
const passwords = new Map<string, string>();
function checkPassword(user: string, password: string): string | undefined {
  return password === "" ? undefined : user;
}
function check(user: string, password: string): boolean {
  return user !== "" && password !== "";
}
async function introspect(token: string): Promise<BearerGrant<User> | undefined> {
  return token === "" ? undefined : { identity: { id: 1, name: token } };
}
function lookup(username: string): string | undefined {
  return passwords.get(username);
}
/** A failure outcome of any authenticator: its type is what these tests look at. */
function outcomeOf<Identity>(_authenticator: Authenticator<Identity>): AuthOutcome<Identity> {
  return { ok: false, status: 401, headers: [], body: "", reason: "missing-credentials" };
}

/** The identity type of an authenticator. */
type IdentityIn<A> = A extends Authenticator<infer Identity> ? Identity : never;

describe("createAuthenticator() infers the identity type", () => {
  test("README.md, A short example: Digest, Basic and Bearer, inline and hoisted", () => {
    const inline = createAuthenticator({
      schemes: [
        digestAuth({ realm: "api", secret, algorithms: ["SHA-256", "MD5"], password: (user) => passwords.get(user) }),
        basicAuth({ realm: "api", verify: (user, password) => checkPassword(user, password) }),
        bearerAuth({ realm: "api", scopes: ["read"], verify: (token) => introspect(token) }),
      ],
    });
    expectTypeOf(inline).toEqualTypeOf<Authenticator<string | User>>();

    const digest = digestAuth({
      realm: "api",
      secret,
      algorithms: ["SHA-256", "MD5"],
      password: (user) => passwords.get(user),
    });
    const basic = basicAuth({ realm: "api", verify: (user, password) => checkPassword(user, password) });
    const bearer = bearerAuth({ realm: "api", scopes: ["read"], verify: (token) => introspect(token) });
    const hoisted = createAuthenticator({ schemes: [digest, basic, bearer] });
    expectTypeOf(hoisted).toEqualTypeOf<Authenticator<string | User>>();
  });

  test("packages/core/README.md: Basic, inline and hoisted", () => {
    const inline = createAuthenticator({
      schemes: [basicAuth({ realm: "api", verify: (user, password) => (check(user, password) ? user : undefined) })],
    });
    expectTypeOf(inline).toEqualTypeOf<Authenticator<string>>();
    const scheme = basicAuth({ realm: "api", verify: (user, password) => (check(user, password) ? user : undefined) });
    expectTypeOf(createAuthenticator({ schemes: [scheme] })).toEqualTypeOf<Authenticator<string>>();
  });

  test("DESIGN.md's decision example: Digest, Basic and Bearer with a scope", () => {
    const authenticator = createAuthenticator({
      schemes: [
        digestAuth({ realm: "api", secret, password: (username) => lookup(username) }),
        basicAuth({
          realm: "api",
          verify: (username, password) => (check(username, password) ? { id: 1, name: username } : false),
        }),
        bearerAuth({ realm: "api", verify: (token) => introspect(token), scopes: ["read"] }),
      ],
      proxy: true,
    });
    expectTypeOf(authenticator).toEqualTypeOf<Authenticator<string | User>>();
  });

  test("issue 14: digestAuth() and basicAuth() inline give string, and the identity assigns to a string", () => {
    const authenticator = createAuthenticator({
      schemes: [
        digestAuth({ realm: "api", secret, password: (username) => lookup(username) }),
        basicAuth({ realm: "api", verify: (username, password) => (check(username, password) ? username : undefined) }),
      ],
    });
    const outcome = outcomeOf(authenticator);
    if (outcome.ok) {
      const who: string = outcome.identity;
      expectTypeOf(who).toEqualTypeOf<string>();
      // @ts-expect-error: the identity is a string, not a number
      const wrong: number = outcome.identity;
      void wrong;
    }
  });

  test("every factory alone, inline", () => {
    expectTypeOf(
      createAuthenticator({ schemes: [digestAuth({ realm: "api", secret, password: () => "pw" })] }),
    ).toEqualTypeOf<Authenticator<string>>();
    expectTypeOf(
      createAuthenticator({
        schemes: [digestAuth({ realm: "api", secret, password: () => "pw", identity: (name) => ({ id: 1, name }) })],
      }),
    ).toEqualTypeOf<Authenticator<{ id: number; name: string }>>();
    expectTypeOf(
      createAuthenticator({
        schemes: [basicAuth({ realm: "api", verify: async (user) => (user === "a" ? user.length : null) })],
      }),
    ).toEqualTypeOf<Authenticator<number>>();
    expectTypeOf(
      createAuthenticator({ schemes: [bearerAuth({ verify: () => ({ identity: "svc" as const }) })] }),
    ).toEqualTypeOf<Authenticator<"svc">>();
  });

  test("mixed identity types give a union, inline and hoisted", () => {
    const inline = createAuthenticator({
      schemes: [
        basicAuth({ realm: "api", verify: (user) => ({ user }) }),
        bearerAuth({ verify: () => ({ identity: 7 }) }),
        digestAuth({ realm: "api", secret, password: () => "pw" }),
      ],
    });
    expectTypeOf<IdentityIn<typeof inline>>().toEqualTypeOf<{ user: string } | number | string>();
    const schemes = [
      basicAuth({ realm: "api", verify: (user) => ({ user }) }),
      bearerAuth({ verify: () => ({ identity: 7 }) }),
      digestAuth({ realm: "api", secret, password: () => "pw" }),
    ] as const;
    expectTypeOf(createAuthenticator({ schemes })).toEqualTypeOf<typeof inline>();
    expectTypeOf<IdentityOf<(typeof schemes)[number]>>().toEqualTypeOf<{ user: string } | number | string>();
  });

  test("a policy of one's own, inline and hoisted, beside a built-in one", () => {
    const apiKey = (): AuthSchemePolicy<User> => ({
      scheme: "apikey",
      realm: undefined,
      authSchemes: [],
      verify: () => ({ ok: true, identity: { id: 1, name: "svc" } }),
      challenges: () => [],
      openapi: () => ({ type: "apiKey", in: "header", name: "X-API-Key", description: "key" }),
    });
    const inline = createAuthenticator({
      schemes: [apiKey(), digestAuth({ realm: "api", secret, password: () => "pw" })],
    });
    expectTypeOf(inline).toEqualTypeOf<Authenticator<User | string>>();
    const hoisted = apiKey();
    expectTypeOf(createAuthenticator({ schemes: [hoisted] })).toEqualTypeOf<Authenticator<User>>();
  });

  test("AuthContext and AuthOutcome carry the identity; scheme names keep their literals and admit others", () => {
    const authenticator = createAuthenticator({ schemes: [basicAuth({ realm: "api", verify: (user) => user })] });
    const outcome = outcomeOf(authenticator);
    if (outcome.ok) {
      const context: AuthContext<string> = outcome;
      expectTypeOf(context.identity).toEqualTypeOf<string>();
      expectTypeOf<"basic">().toExtend<typeof outcome.scheme>();
      expectTypeOf<"apikey">().toExtend<typeof outcome.scheme>();
    }
  });
});
