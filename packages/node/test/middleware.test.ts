import type { IncomingMessage, ServerResponse } from "node:http";
import { computeDigestCredentials, parseChallenges, serializeCredentials } from "@httpauth/core";
import { afterEach, describe, expect, test } from "vitest";
import type { AuthContext, Middleware, NextFunction } from "../src/index.ts";
import { middleware } from "../src/index.ts";
import type { User } from "./support/authenticators.ts";
import { BASIC_CHALLENGE, BEARER_CHALLENGE, createTestAuthenticator, STORE_DOWN } from "./support/authenticators.ts";
import type { App } from "./support/connect-like.ts";
import { createApp, rawBodyParser } from "./support/connect-like.ts";
import type { Running } from "./support/http.ts";
import { basic, fieldLines, listen, send } from "./support/http.ts";

const running: Running[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

type AuthenticatedMessage = IncomingMessage & { auth?: AuthContext<User> };

/** Answers with what the middleware left on the request. */
function echo(request: IncomingMessage, response: ServerResponse): void {
  response.setHeader("Content-Type", "application/json");
  response.end(JSON.stringify({ auth: (request as AuthenticatedMessage).auth ?? null, url: request.url }));
}

async function start(app: App): Promise<string> {
  const server = await listen(app.listener);
  running.push(server);
  return server.origin;
}

async function digestAuthorization(
  origin: string,
  path: string,
  options: { method?: string; body?: string } = {},
): Promise<string> {
  const first = await send(`${origin}${path}`);
  const challenge = parseChallenges(fieldLines(first, "WWW-Authenticate")).find(({ scheme }) => scheme === "digest");
  const credentials = await computeDigestCredentials(challenge!, {
    username: "Mufasa",
    password: "Circle of Life",
    method: options.method ?? "GET",
    uri: path,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  return serializeCredentials(credentials);
}

describe("middleware() in a connect-style chain", () => {
  test("middleware() sends the failure and does not call next", async () => {
    let reached = 0;
    const origin = await start(
      createApp()
        .use(middleware(createTestAuthenticator()))
        .use((_request, response) => {
          reached++;
          response.end("reached");
        }),
    );
    const reply = await send(`${origin}/`);
    expect(reply.status).toBe(401);
    expect(fieldLines(reply, "WWW-Authenticate").slice(0, 2)).toEqual([BASIC_CHALLENGE, BEARER_CHALLENGE]);
    expect(reached).toBe(0);
  });

  test("middleware() puts { identity, scheme } on request.auth and calls next()", async () => {
    const origin = await start(createApp().use(middleware(createTestAuthenticator())).use(echo));
    const reply = await send(`${origin}/`, { headers: { authorization: basic("ada", "lovelace") } });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ auth: { identity: { name: "ada" }, scheme: "basic" }, url: "/" });
  });

  test("middleware() answers 403 for a Bearer token without the scope", async () => {
    const origin = await start(createApp().use(middleware(createTestAuthenticator())).use(echo));
    const reply = await send(`${origin}/`, { headers: { authorization: "Bearer writer-token" } });
    expect(reply.status).toBe(403);
    expect(fieldLines(reply, "WWW-Authenticate")).toHaveLength(1);
  });

  test("middleware() passes what verify throws to next(error), for the error handlers", async () => {
    const caught: unknown[] = [];
    const origin = await start(
      createApp()
        .use(middleware(createTestAuthenticator()))
        .use(echo)
        .useErrorHandler((error: unknown, _request: IncomingMessage, response: ServerResponse, _next: NextFunction) => {
          caught.push(error);
          response.statusCode = 503;
          response.end("try again later");
        }),
    );
    const reply = await send(`${origin}/`, { headers: { authorization: basic("crash", "x") } });
    expect(reply.status).toBe(503);
    expect(reply.body).toBe("try again later");
    expect(caught).toHaveLength(1);
    expect(caught[0]).toBeInstanceOf(Error);
    expect((caught[0] as Error).message).toBe(STORE_DOWN);
  });

  test("middleware() sets Authentication-Info and lets Digest through when mounted under a path", async () => {
    const origin = await start(createApp().use("/api", middleware(createTestAuthenticator())).use("/api", echo));
    const authorization = await digestAuthorization(origin, "/api/reports?year=2024");
    const reply = await send(`${origin}/api/reports?year=2024`, { headers: { authorization } });
    expect(reply.status).toBe(200);
    // The layer saw the shortened url; the Digest uri was checked against originalUrl.
    expect(JSON.parse(reply.body)).toEqual({
      auth: { identity: { name: "Mufasa" }, scheme: "digest" },
      url: "/reports?year=2024",
    });
    expect(fieldLines(reply, "Authentication-Info")).toHaveLength(1);
  });

  test("middleware() reads a Bearer token from a form body that a parser already buffered", async () => {
    const origin = await start(createApp().use(rawBodyParser).use(middleware(createTestAuthenticator())).use(echo));
    const reply = await send(`${origin}/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "access_token=reader-token&note=hello",
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body).auth).toEqual({ identity: { name: "reader" }, scheme: "bearer" });
  });

  test("middleware() leaves an unread body alone: a form token is not seen, and the app can still read the body", async () => {
    const origin = await start(
      createApp()
        .use(middleware(createTestAuthenticator()))
        .use(rawBodyParser)
        .use((_request, response) => response.end("unreachable")),
    );
    const reply = await send(`${origin}/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "access_token=reader-token",
    });
    expect(reply.status).toBe(401);
    expect(reply.body).toBe("401 Unauthorized: Authentication is required.\n");

    const allowed = await start(
      createApp()
        .use(middleware(createTestAuthenticator()))
        .use(rawBodyParser)
        .use((request, response) => {
          response.end(`body: ${(request as IncomingMessage & { rawBody?: Buffer }).rawBody?.toString("utf8")}`);
        }),
    );
    const read = await send(`${allowed}/`, {
      method: "POST",
      headers: { authorization: basic("ada", "lovelace") },
      body: "the body, still readable",
    });
    expect(read.body).toBe("body: the body, still readable");
  });

  test("middleware() gives a buffered body to Digest auth-int, and without one auth-int fails closed", async () => {
    async function authIntAuthorization(origin: string, body: string): Promise<string> {
      const first = await send(`${origin}/transfer`);
      const challenge = parseChallenges(fieldLines(first, "WWW-Authenticate")).find(
        ({ scheme }) => scheme === "digest",
      )!;
      // Offer only auth-int to the client, so that it covers the body.
      const credentials = await computeDigestCredentials(
        { ...challenge, params: { ...challenge.params, qop: "auth-int" } },
        { username: "Mufasa", password: "Circle of Life", method: "POST", uri: "/transfer", body },
      );
      expect(credentials.params.qop).toBe("auth-int");
      return serializeCredentials(credentials);
    }
    const body = '{"amount":100}';
    const parsed = await start(createApp().use(rawBodyParser).use(middleware(createTestAuthenticator())).use(echo));
    const allowed = await send(`${parsed}/transfer`, {
      method: "POST",
      headers: { authorization: await authIntAuthorization(parsed, body) },
      body,
    });
    expect(allowed.status).toBe(200);
    const tampered = await send(`${parsed}/transfer`, {
      method: "POST",
      headers: { authorization: await authIntAuthorization(parsed, body) },
      body: '{"amount":999}',
    });
    expect(tampered.status).toBe(401);

    const unparsed = await start(createApp().use(middleware(createTestAuthenticator())).use(echo));
    const unread = await send(`${unparsed}/transfer`, {
      method: "POST",
      headers: { authorization: await authIntAuthorization(unparsed, body) },
      body,
    });
    expect(unread.status).toBe(401);
  });

  test("middleware() uses clientAddress from the options, typed with the framework's request", async () => {
    interface ProxiedRequest extends IncomingMessage {
      ip?: string;
    }
    const seen: (string | undefined)[] = [];
    const authenticate = middleware<User, ProxiedRequest>(
      createTestAuthenticator({
        throttle: {
          maxFailures: 1,
          window: 60,
          store: {
            hit: (key) => {
              seen.push(JSON.parse(key)[1]);
              return { count: 1, resetAt: Date.now() + 60_000 };
            },
            release: () => undefined,
            reset: () => undefined,
          },
        },
      }),
      { clientAddress: (request) => request.ip },
    );
    const origin = await start(
      createApp()
        .use((request, _response, next) => {
          (request as ProxiedRequest).ip = "198.51.100.23";
          next();
        })
        .use(authenticate as Middleware),
    );
    const reply = await send(`${origin}/`, { headers: { authorization: basic("ada", "wrong") } });
    expect(reply.status).toBe(401);
    expect(seen).toEqual(["198.51.100.23", "198.51.100.23"]);
  });

  test("middleware() refuses something that is not an authenticator with a TypeError", () => {
    expect(() => middleware({} as never)).toThrow(TypeError);
  });
});

describe("middleware() types", () => {
  test("middleware() fits express's handler type without depending on express", () => {
    // The shapes of @types/express, written out: Request and Response extend Node's.
    interface ExpressRequest extends IncomingMessage {
      originalUrl: string;
      ip: string | undefined;
    }
    interface ExpressResponse extends ServerResponse {
      locals: Record<string, unknown>;
    }
    interface ExpressNextFunction {
      (error?: unknown): void;
      (deferToNext: "router"): void;
      (deferToNext: "route"): void;
    }
    type RequestHandler = (
      request: ExpressRequest,
      response: ExpressResponse,
      next: ExpressNextFunction,
    ) => void | Promise<void>;

    const plain: RequestHandler = middleware(createTestAuthenticator());
    const withIp: RequestHandler = middleware(createTestAuthenticator(), {
      clientAddress: (request: ExpressRequest) => request.ip,
    });
    expect(typeof plain).toBe("function");
    expect(typeof withIp).toBe("function");
  });
});
