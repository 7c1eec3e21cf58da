// The authenticators the tests drive through node:http.

import type { Authenticator, AuthenticatorOptions, AuthScheme } from "@httpauth/core";
import { basicAuth, bearerAuth, createAuthenticator, digestAuth } from "@httpauth/core";
import { timingSafeEqual } from "../../src/index.ts";

export interface User {
  name: string;
}

export const DIGEST_SECRET = "a secret of at least sixteen bytes";

/** Thrown by `verify` for the user "crash": a user store that is down. */
export const STORE_DOWN = "user store is down (connection string postgres://admin:hunter2@db)";

export const BASIC_CHALLENGE = 'Basic realm="api", charset="UTF-8"';
export const BEARER_CHALLENGE = 'Bearer realm="api"';

function schemes(): readonly [AuthScheme<User>, AuthScheme<User>, AuthScheme<User>] {
  return [
    basicAuth<User>({
      realm: "api",
      verify(username, password) {
        if (username === "crash") throw new Error(STORE_DOWN);
        return username === "ada" && timingSafeEqual(password, "lovelace") ? { name: username } : undefined;
      },
    }),
    bearerAuth<User>({
      realm: "api",
      scopes: ["read"],
      sources: { body: true },
      verify(token) {
        if (token === "crash") throw new Error(STORE_DOWN);
        if (timingSafeEqual(token, "reader-token")) return { identity: { name: "reader" }, scopes: ["read"] };
        if (timingSafeEqual(token, "writer-token")) return { identity: { name: "writer" }, scopes: ["write"] };
        return undefined;
      },
    }),
    digestAuth<User>({
      realm: "api",
      secret: DIGEST_SECRET,
      qop: ["auth", "auth-int"],
      password: (username) => (username === "Mufasa" ? "Circle of Life" : undefined),
      identity: (username) => ({ name: username }),
    }),
  ];
}

type Extra = Omit<AuthenticatorOptions<readonly AuthScheme<User>[]>, "schemes">;

/** Basic, Bearer (scope "read", form bodies allowed) and Digest (auth, auth-int), all in realm "api". */
export function createTestAuthenticator(extra: Extra = {}): Authenticator<User> {
  return createAuthenticator({ schemes: schemes(), ...extra });
}

/** Basic only, in realm "api". */
export function createBasicAuthenticator(extra: Extra = {}): Authenticator<User> {
  return createAuthenticator({ schemes: [schemes()[0]], ...extra });
}
