// middleware() and its handler() with real express 5 over 127.0.0.1: the
// identity type flows from the authenticator to a route handler, per route.

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { NextFunction, Request, Response } from "express";
import express from "express";
import { afterEach, describe, expect, expectTypeOf, test } from "vitest";
import type { AuthContext, AuthLocals } from "../src/index.ts";
import { middleware } from "../src/index.ts";
import type { User } from "./support/authenticators.ts";
import { BASIC_CHALLENGE, BEARER_CHALLENGE, createTestAuthenticator } from "./support/authenticators.ts";
import { basic, fieldLines, rawExchange, send } from "./support/http.ts";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(app: express.Express): Promise<{ origin: string; port: number }> {
  const server = app.listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, port };
}

function createApp(): express.Express {
  const app = express();
  const auth = middleware(createTestAuthenticator(), { clientAddress: (request: Request) => request.ip });
  app.get(
    "/me",
    auth,
    auth.handler((request, response) => {
      expectTypeOf(request.auth).toEqualTypeOf<AuthContext<User>>();
      expectTypeOf(request.originalUrl).toBeString();
      // The route's locals carry the identity too (AuthLocals), inferred from the middleware.
      expectTypeOf(response).toEqualTypeOf<Response<unknown, AuthLocals<User>>>();
      response.json({ name: request.auth.identity.name, scheme: request.auth.scheme });
    }),
  );
  // Inline, without handler(): express infers res.locals' type from the middleware, per route
  // (request.auth too, with the augmentation of express-types.ts, compiled apart).
  app.get("/inline/:id", auth, (request, response) => {
    expectTypeOf(response.locals.auth).toEqualTypeOf<AuthContext<User>>();
    const fromRequest = (request as Request & { auth?: AuthContext<User> }).auth;
    response.json({
      id: request.params.id,
      name: response.locals.auth.identity.name,
      scheme: response.locals.auth.scheme,
      same: fromRequest === response.locals.auth,
    });
  });
  app.get("/open", (_request, response) => {
    response.json({ auth: response.locals.auth ?? null });
  });
  // Without the middleware in front, handler() refuses at run time (express's error handler answers).
  app.get(
    "/unguarded",
    auth.handler((request: Request & { auth: AuthContext<User> }, response: Response) =>
      response.send(request.auth.identity.name),
    ),
  );
  app.use((error: Error, _request: Request, response: Response, _next: NextFunction) => {
    response.status(500).send(error instanceof TypeError ? "TypeError" : "other");
  });
  return app;
}

describe("middleware() with express", () => {
  test("handler() gives the route handler request.auth typed with the authenticator's identity", async () => {
    const { origin } = await listen(createApp());
    const reply = await send(`${origin}/me`, { headers: { authorization: basic("ada", "lovelace") } });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ name: "ada", scheme: "basic" });
  });

  test("express sends one WWW-Authenticate line per challenge, on the raw bytes", async () => {
    const { origin, port } = await listen(createApp());
    const reply = await send(`${origin}/me`);
    expect(reply.status).toBe(401);
    expect(fieldLines(reply, "WWW-Authenticate").slice(0, 2)).toEqual([BASIC_CHALLENGE, BEARER_CHALLENGE]);
    const bytes = await rawExchange(port, "GET /me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(bytes).toContain(`\r\nWWW-Authenticate: ${BASIC_CHALLENGE}\r\nWWW-Authenticate: ${BEARER_CHALLENGE}\r\n`);
  });

  test("an inline route handler after the middleware gets request.auth and res.locals.auth, the same object", async () => {
    const { origin } = await listen(createApp());
    const reply = await send(`${origin}/inline/7`, { headers: { authorization: basic("ada", "lovelace") } });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ id: "7", name: "ada", scheme: "basic", same: true });
    const refused = await send(`${origin}/inline/7`, { headers: { authorization: basic("ada", "wrong") } });
    expect(refused.status).toBe(401);
    expect(refused.body).not.toContain("ada");
  });

  test("a route without the middleware has no res.locals.auth", async () => {
    const { origin } = await listen(createApp());
    const reply = await send(`${origin}/open`, { headers: { authorization: basic("ada", "lovelace") } });
    expect(JSON.parse(reply.body)).toEqual({ auth: null });
  });

  test("handler() throws a TypeError to express's error handler when request.auth is not set", async () => {
    const { origin } = await listen(createApp());
    const reply = await send(`${origin}/unguarded`);
    expect(reply.status).toBe(500);
    expect(reply.body).toBe("TypeError");
  });

  test("handler() refuses something that is not a function", () => {
    expect(() => middleware(createTestAuthenticator()).handler("x" as never)).toThrow(TypeError);
  });
});
