// Digest auth-int on node:http (issue 13 point 7): without a body parser the
// body used to be hashed as empty, so a digest over an empty body
// authenticated any body. protect() now refuses auth-int when it cannot see
// the body, and reads it (and gives it back to the handler) with readBody.

import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import {
  computeDigestCredentials,
  createAuthenticator,
  digestAuth,
  parseChallenges,
  serializeCredentials,
} from "@httpauth/core";
import { afterEach, describe, expect, test } from "vitest";
import type { ProtectOptions } from "../src/index.ts";
import { protect } from "../src/index.ts";

const SECRET = "a server secret of at least sixteen bytes";
const servers: { close(): void }[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function text(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function start(options: ProtectOptions = {}): Promise<string> {
  const authenticator = createAuthenticator({
    schemes: [
      digestAuth({
        realm: "api",
        secret: SECRET,
        qop: ["auth-int"],
        password: (user) => (user === "ada" ? "secret" : undefined),
      }),
    ],
  });
  const server = createServer(
    protect(async (request, response) => response.end(`stored: ${await text(request)}`), authenticator, options),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`;
}

async function authorization(url: string, body: string): Promise<string> {
  const refused = await fetch(url, { method: "POST" });
  await refused.text();
  const [challenge] = parseChallenges(refused.headers.get("www-authenticate") ?? "");
  const credentials = await computeDigestCredentials(challenge!, {
    username: "ada",
    password: "secret",
    method: "POST",
    uri: "/upload",
    body,
  });
  return serializeCredentials(credentials);
}

async function post(url: string, authorizationValue: string, body?: string): Promise<[number, string]> {
  const response = await fetch(url, {
    method: "POST",
    headers: { authorization: authorizationValue },
    ...(body === undefined ? {} : { body }),
  });
  return [response.status, await response.text()];
}

describe("protect() and Digest auth-int on node:http", () => {
  test("protect() refuses auth-int signed over an empty body when it cannot see the body sent", async () => {
    const url = await start();
    const forged = await authorization(url, "");
    expect((await post(url, forged, "transfer=1000000"))[0]).toBe(401);
    // An empty entity is known without reading: auth-int over no body still works.
    expect(await post(url, await authorization(url, ""))).toEqual([200, "stored: "]);
  });

  test("protect({ readBody: true }) checks auth-int against the body and hands the whole body to the handler", async () => {
    const url = await start({ readBody: true });
    const body = "amount=100&note=".padEnd(5000, "x");
    expect(await post(url, await authorization(url, body), body)).toEqual([200, `stored: ${body}`]);
    expect((await post(url, await authorization(url, ""), "amount=999"))[0]).toBe(401);
    expect((await post(url, await authorization(url, body), `${body}!`))[0]).toBe(401);
  });

  test("protect({ readBody: true }) refuses auth-int over a body longer than maxBodyLength", async () => {
    const url = await start({ readBody: true, maxBodyLength: 1024 });
    const body = "y".repeat(4096);
    expect((await post(url, await authorization(url, body), body))[0]).toBe(401);
    expect((await post(url, await authorization(url, ""), body))[0]).toBe(401);
  });

  test("protect({ readBody: true }) reads a chunked body that arrives in pieces, and gives it back whole", async () => {
    const url = await start({ readBody: true });
    const body = "first piece;second piece";
    const credentials = await authorization(url, body);
    const answer = await new Promise<[number, string]>((resolve, reject) => {
      const outgoing = httpRequest(url, { method: "POST", headers: { authorization: credentials } }, (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => resolve([response.statusCode ?? 0, text]));
      });
      outgoing.on("error", reject);
      outgoing.write("first piece;");
      setTimeout(() => outgoing.end("second piece"), 50);
    });
    expect(answer).toEqual([200, `stored: ${body}`]);
  });
});
