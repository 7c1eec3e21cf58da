import { Buffer } from "node:buffer";
import { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { describe, expect, test } from "vitest";
import { createAuthRequest } from "../src/index.ts";

function message(
  fields: Partial<Pick<IncomingMessage, "method" | "url" | "headers" | "headersDistinct">>,
): IncomingMessage {
  const { headersDistinct, ...rest } = fields;
  const request = new IncomingMessage(new Socket());
  Object.assign(request, { method: "GET", url: "/", headers: {}, ...rest });
  // Node computes headersDistinct from what its parser counted, which a hand-built request lacks.
  if (headersDistinct !== undefined) Object.defineProperty(request, "headersDistinct", { value: headersDistinct });
  return request;
}

describe("createAuthRequest()", () => {
  test("createAuthRequest() reads headers by case-insensitive name", () => {
    const request = createAuthRequest(message({ headers: { authorization: "Bearer abc" } }));
    expect(request.header("Authorization")).toBe("Bearer abc");
    expect(request.header("AUTHORIZATION")).toBe("Bearer abc");
    expect(request.header("proxy-authorization")).toBeUndefined();
  });

  test("createAuthRequest() joins a field Node delivers as an array with ', ' (RFC 9110 §5.3)", () => {
    const request = createAuthRequest(message({ headers: { "x-list": ["a", "b"] as unknown as string } }));
    expect(request.header("X-List")).toBe("a, b");
  });

  test("createAuthRequest() joins duplicate Authorization lines that request.headers dropped", () => {
    const request = createAuthRequest(
      message({
        headers: { authorization: "Basic first" },
        headersDistinct: { authorization: ["Basic first", "Basic second"] },
      }),
    );
    expect(request.header("authorization")).toBe("Basic first, Basic second");
  });

  test("createAuthRequest() keeps a header value the application rewrote", () => {
    const request = createAuthRequest(
      message({
        headers: { authorization: "Bearer from-cookie" },
        headersDistinct: { authorization: ["Basic first", "Basic second"] },
      }),
    );
    expect(request.header("authorization")).toBe("Bearer from-cookie");
  });

  test("createAuthRequest() finds duplicate lines in rawHeaders, whatever the case of their names", () => {
    const raw = message({ headers: { authorization: "Basic first", host: "x" } });
    raw.rawHeaders = ["Host", "x", "AUTHORIZATION", "Basic first", "Accept", "*/*", "authorization", "Basic second"];
    expect(createAuthRequest(raw).header("authorization")).toBe("Basic first, Basic second");
    // One line: as request.headers has it; a value the application rewrote wins over the raw lines.
    const single = message({ headers: { authorization: "Basic only" } });
    single.rawHeaders = ["Authorization", "Basic only", "Authorizatiox", "Basic not-this-one"];
    expect(createAuthRequest(single).header("authorization")).toBe("Basic only");
    raw.headers.authorization = "Bearer rewritten";
    expect(createAuthRequest(raw).header("authorization")).toBe("Bearer rewritten");
  });

  test("createAuthRequest() prefers originalUrl (a mounted middleware) over url", () => {
    const mounted = Object.assign(message({ url: "/reports" }), { originalUrl: "/api/reports" });
    expect(createAuthRequest(mounted).url).toBe("/api/reports");
    expect(createAuthRequest(message({ url: "/plain?x=1" })).url).toBe("/plain?x=1");
  });

  test("createAuthRequest() takes method and url, with defaults for hand-built requests", () => {
    const request = new IncomingMessage(new Socket());
    const auth = createAuthRequest(request);
    expect(auth.method).toBe("GET");
    expect(auth.url).toBe("/");
    expect(createAuthRequest(message({ method: "POST" })).method).toBe("POST");
  });

  test("createAuthRequest() takes the client address from the socket, or from options.clientAddress", () => {
    const request = message({});
    Object.defineProperty(request.socket, "remoteAddress", { value: "192.0.2.10" });
    expect(createAuthRequest(request).clientAddress).toBe("192.0.2.10");
    expect(createAuthRequest(request, { clientAddress: () => "203.0.113.5" }).clientAddress).toBe("203.0.113.5");
    expect(createAuthRequest(message({})).clientAddress).toBeUndefined();
  });

  test("createAuthRequest() offers a body only when a parser left bytes or text", async () => {
    const withBody = { headers: { "content-length": "3" } };
    expect(createAuthRequest(message(withBody)).body).toBeUndefined();
    expect(createAuthRequest(Object.assign(message(withBody), { body: { parsed: "json" } })).body).toBeUndefined();
    // No Content-Length and no Transfer-Encoding: no body, an empty entity (RFC 9112 §6.3).
    expect(await createAuthRequest(message({})).body?.()).toEqual(new Uint8Array(0));
    expect(createAuthRequest(message({ headers: { "transfer-encoding": "chunked" } })).body).toBeUndefined();

    const raw = createAuthRequest(Object.assign(message({}), { rawBody: Buffer.from("a=1"), body: { a: "1" } }));
    expect(new TextDecoder().decode(await raw.body!())).toBe("a=1");

    const buffered = createAuthRequest(Object.assign(message({}), { body: Uint8Array.of(1, 2, 3) }));
    expect(await buffered.body!()).toEqual(Uint8Array.of(1, 2, 3));

    const text = createAuthRequest(Object.assign(message({}), { body: "é=1" }));
    expect(await text.body!()).toEqual(Uint8Array.of(0xc3, 0xa9, 0x3d, 0x31));
  });
});
