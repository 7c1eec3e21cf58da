import type { ThrottleStore } from "@httpauth/core";
import { createMemoryThrottleStore } from "@httpauth/core";
import { afterEach, describe, expect, test } from "vitest";
import type { ProtectOptions } from "../src/index.ts";
import { protect } from "../src/index.ts";
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
    get: (key, now) => store.get(key, now),
    hit(key, windowMs, now) {
      addresses.push((JSON.parse(key) as [string, string])[0]);
      return store.hit(key, windowMs, now);
    },
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
    expect(addresses).toEqual(["127.0.0.1", "127.0.0.1", "127.0.0.1"]);

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
});
