import { describe, expect, test } from "vitest";
import type { AuthRequest } from "./index.ts";
import { isCorsPreflight } from "./index.ts";

function request(method: string, headers: Record<string, string | null>): AuthRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { method, url: "/api", header: (name) => lower[name.toLowerCase()] };
}

const PREFLIGHT = { Origin: "https://app.example", "Access-Control-Request-Method": "PUT" };

describe("isCorsPreflight()", () => {
  test("isCorsPreflight() is true for OPTIONS with Origin and Access-Control-Request-Method and no credentials", () => {
    expect(isCorsPreflight(request("OPTIONS", PREFLIGHT))).toBe(true);
    expect(isCorsPreflight(request("OPTIONS", { ...PREFLIGHT, Origin: "null" }))).toBe(true);
    expect(
      isCorsPreflight(request("OPTIONS", { ...PREFLIGHT, "Access-Control-Request-Headers": "authorization" })),
    ).toBe(true);
  });

  test("isCorsPreflight() is false for anything that is not exactly a preflight without credentials", () => {
    const cases: [string, Record<string, string | null>][] = [
      ["OPTIONS", { Origin: "https://app.example" }],
      ["OPTIONS", { "Access-Control-Request-Method": "PUT" }],
      ["OPTIONS", { ...PREFLIGHT, "Access-Control-Request-Method": "" }],
      ["OPTIONS", { ...PREFLIGHT, "Access-Control-Request-Method": " " }],
      ["OPTIONS", { ...PREFLIGHT, Origin: null }],
      ["OPTIONS", { ...PREFLIGHT, Authorization: "Basic YTpi" }],
      ["OPTIONS", { ...PREFLIGHT, Authorization: "" }],
      ["OPTIONS", { ...PREFLIGHT, "Proxy-Authorization": "Basic YTpi" }],
      ["options", PREFLIGHT],
      ["GET", PREFLIGHT],
      ["POST", PREFLIGHT],
    ];
    for (const [method, headers] of cases)
      expect([method, headers, isCorsPreflight(request(method, headers))]).toEqual([method, headers, false]);
  });

  test("isCorsPreflight() refuses something that is not a request with a TypeError", () => {
    expect(() => isCorsPreflight(null as never)).toThrow(TypeError);
    expect(() => isCorsPreflight({ method: "OPTIONS" } as never)).toThrow(TypeError);
  });
});
