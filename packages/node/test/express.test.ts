// middleware() and its handler() with real express 5 over 127.0.0.1: the
// identity type flows from the authenticator to a route handler, per route.

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { NextFunction, Request, Response } from "express";
import express from "express";
import { afterEach, describe, expect, expectTypeOf, test } from "vitest";
import type { AuthContext } from "../src/index.ts";
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
      expectTypeOf(response).toEqualTypeOf<Response>();
      response.json({ name: request.auth.identity.name, scheme: request.auth.scheme });
    }),
  );
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
