// A type test, compiled by `tsc -p tsconfig.test.json` (the typecheck row) and
// never run: express's route methods carry the identity type of middleware()
// to the handlers after it, per route (issue 18), through `res.locals` with no
// declaration, and through `req.auth` with the augmentation below (the one the
// README shows). Each `@ts-expect-error` fails the typecheck if the typing
// stops refusing what it refuses today. The same routes run with real express
// in express.test.ts.

import type { IncomingMessage, ServerResponse } from "node:http";
import { apiKeyAuth, createAuthenticator } from "@httpauth/core";
import type { NextFunction } from "express";
import express from "express";
import { expectTypeOf } from "vitest";
import type { AuthContext, RequestAuth } from "../src/index.ts";
import { middleware } from "../src/index.ts";
import type { User } from "./support/authenticators.ts";
import { createTestAuthenticator } from "./support/authenticators.ts";

declare module "express-serve-static-core" {
  // The type parameters must be express's own, `any` included.
  // biome-ignore lint/suspicious/noExplicitAny: the constraint of express's declaration, repeated as merging requires
  interface Request<P, ResBody, ReqBody, ReqQuery, LocalsObj extends Record<string, any>> {
    /** Set by httpauth's middleware; typed per route (see RequestAuth). */
    auth: RequestAuth<LocalsObj>;
  }
}

const app = express();
const users = middleware(createTestAuthenticator());
const services = middleware(createAuthenticator({ schemes: [apiKeyAuth({ keys: { billing: "k3y" } })] }));

// Behind the middleware: the authenticator's identity, on request.auth and res.locals.auth.
app.get("/me", users, (request, response) => {
  expectTypeOf(request.auth).toEqualTypeOf<AuthContext<User>>();
  expectTypeOf(response.locals.auth).toEqualTypeOf<AuthContext<User>>();
  expectTypeOf(request.auth.identity.name).toBeString();
  // @ts-expect-error User has no `role`: the identity is typed, not any.
  void request.auth.identity.role;
  response.json({ name: request.auth.identity.name });
});

// Another route, another authenticator: its own identity type, nothing leaks between routes.
app.get("/billing", services, (request, response) => {
  expectTypeOf(request.auth.identity).toEqualTypeOf<string>();
  // @ts-expect-error the identity of an API key map is the key's name, a string, not a User.
  void request.auth.identity.name;
  response.send(request.auth.identity);
});

// Route parameters, async handlers and next keep express's own types.
app.post("/items/:id", users, async (request, response, next: NextFunction) => {
  expectTypeOf(request.params.id).toBeString();
  expectTypeOf(request.auth.identity).toEqualTypeOf<User>();
  response.send(`${request.params.id} for ${request.auth.identity.name}`);
  next();
});

// A router's route methods alike.
express.Router().put("/r", users, (request, response) => {
  expectTypeOf(request.auth).toEqualTypeOf<AuthContext<User>>();
  response.end();
});

// Without the middleware in the route, request.auth is not claimed: it may be missing.
app.get("/open", (request, response) => {
  expectTypeOf(request.auth).toEqualTypeOf<AuthContext<unknown> | undefined>();
  // @ts-expect-error request.auth may be undefined on a route the middleware does not guard.
  void request.auth.identity;
  response.send("open");
});

// Mounted with app.use for a path, the routes declared apart are not known to be guarded either.
app.use("/admin", users);
app.get("/admin/panel", (request, response) => {
  // @ts-expect-error the route's own handlers do not name the middleware: check request.auth, or use handler().
  void request.auth.identity;
  response.send("panel");
});

// handler() still types one handler, the route's other handlers untouched.
app.get(
  "/handler",
  users,
  users.handler((request, response: express.Response) => {
    expectTypeOf(request.auth).toEqualTypeOf<AuthContext<User>>();
    response.json(request.auth.identity);
  }),
);

// A connect or node:http chain still calls it with Node's own request and response.
declare const request: IncomingMessage;
declare const response: ServerResponse;
users(request, response, () => undefined);
// @ts-expect-error the middleware takes (request, response, next).
users(request);
