import type { ThrottleStore } from "@httpauth/core";
import { basicAuth, createAuthenticator, createMemoryThrottleStore } from "@httpauth/core";
import { afterEach, describe, expect, test } from "vitest";
import type { ProtectOptions } from "../src/index.ts";
import { hashPassword, protect, verifyPassword } from "../src/index.ts";
import { createBasicAuthenticator } from "./support/authenticators.ts";
import type { Running } from "./support/http.ts";
import { basic, fieldLines, listen, send } from "./support/http.ts";

const running: Running[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

/** A memory store that also records the client address of every key it counts. */
function recordingStore(addresses: string[]): ThrottleStore {
  const store = createMemoryThrottleStore();
  return {
    hit(key, windowMs, now) {
      addresses.push((JSON.parse(key) as [string, string])[1]);
      return store.hit(key, windowMs, now);
    },
    release: (key, resetAt) => store.release(key, resetAt),
    reset: (key) => store.reset(key),
  };
}

async function start(store: ThrottleStore, options: ProtectOptions = {}): Promise<string> {
  const authenticator = createBasicAuthenticator({ throttle: { maxFailures: 3, window: 60, store } });
  const server = await listen(protect((_request, response) => response.end("in"), authenticator, options));
  running.push(server);
  return server.origin;
}

describe("throttling by client address", () => {
  test("the socket's address reaches core: 429 after 3 failures from 127.0.0.1", async () => {
    const addresses: string[] = [];
    const origin = await start(recordingStore(addresses));
    const wrong = { headers: { authorization: basic("ada", "guess") } };
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect((await send(`${origin}/`, wrong)).status).toBe(401);
    }
    expect(new Set(addresses)).toEqual(new Set(["127.0.0.1"]));

    const throttled = await send(`${origin}/`, wrong);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThan(0);
    expect(fieldLines(throttled, "WWW-Authenticate")).toEqual([]);
    // Even the right password waits until the window closes.
    const right = await send(`${origin}/`, { headers: { authorization: basic("ada", "lovelace") } });
    expect(right.status).toBe(429);
  });

  test("clientAddress from the options counts each client on its own", async () => {
    const addresses: string[] = [];
    const origin = await start(recordingStore(addresses), {
      clientAddress: (request) => String(request.headers["x-test-client"]),
    });
    const from = (client: string): { headers: Record<string, string> } => ({
      headers: { authorization: basic("ada", "guess"), "x-test-client": client },
    });
    for (let attempt = 1; attempt <= 3; attempt++) await send(`${origin}/`, from("192.0.2.1"));
    expect((await send(`${origin}/`, from("192.0.2.1"))).status).toBe(429);
    expect((await send(`${origin}/`, from("192.0.2.2"))).status).toBe(401);
    expect(new Set(addresses)).toEqual(new Set(["192.0.2.1", "192.0.2.2"]));
  });

  test("a clientAddress that finds none (a proxy header missing) is answered 500, never one shared counter", async () => {
    const errors: unknown[] = [];
    const server = await listen(
      protect(
        (_request, response) => response.end("in"),
        createBasicAuthenticator({ throttle: { maxFailures: 3, window: 60 } }),
        { clientAddress: () => undefined, onError: (error) => errors.push(error) },
      ),
    );
    running.push(server);
    const reply = await send(`${server.origin}/`, { headers: { authorization: basic("ada", "lovelace") } });
    expect(reply.status).toBe(500);
    expect(String(errors[0])).toMatch(/TypeError: .*clientAddress/);
  });
});

describe("concurrent guesses over HTTP, with scrypt hashes", () => {
  test("200 concurrent wrong guesses and the right password: at most maxFailures are verified", async () => {
    const stored = await hashPassword("correct horse battery staple", { cost: 2 ** 14 });
    let verified = 0;
    const authenticator = createAuthenticator({
      schemes: [
        basicAuth({
          realm: "api",
          verify: async (username, password) => {
            verified++;
            return username === "ada" && (await verifyPassword(password, stored)) ? username : undefined;
          },
        }),
      ],
      throttle: { maxFailures: 5, window: 60 },
    });
    const server = await listen(protect((_request, response) => response.end("in"), authenticator));
    running.push(server);
    const guesses = Array.from({ length: 201 }, (_, index) =>
      index === 137 ? "correct horse battery staple" : `guess-${index}`,
    );
    const replies = await Promise.all(
      guesses.map((password) => send(`${server.origin}/`, { headers: { authorization: basic("ada", password) } })),
    );
    expect(verified).toBeLessThanOrEqual(5);
    expect(replies.filter((reply) => reply.status === 429).length).toBeGreaterThanOrEqual(196);
  }, 30_000);
});
