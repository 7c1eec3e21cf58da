import { expect, test } from "vitest";
import { isLoopbackHostname } from "./loopback.ts";

function hostnameOf(url: string): string {
  return new URL(url).hostname;
}

test.each([
  "http://localhost/",
  "http://LOCALHOST:8080/",
  "http://localhost./",
  "http://127.0.0.1/",
  "http://127.255.255.254/",
  "http://127.1/",
  "http://0x7f.1/",
  "http://[::1]/",
  "http://[0:0:0:0:0:0:0:1]/",
])("isLoopbackHostname() accepts %s", (url) => {
  expect(isLoopbackHostname(hostnameOf(url))).toBe(true);
});

test.each([
  "http://example.com/",
  "http://localhost.example/",
  "http://sub.localhost.evil/",
  "http://127.0.0.1.nip.io/",
  "http://128.0.0.1/",
  "http://10.0.0.1/",
  "http://0.0.0.0/",
  "http://[::2]/",
  "http://[::ffff:7f00:1]/",
  "http://127example/",
])("isLoopbackHostname() refuses %s", (url) => {
  expect(isLoopbackHostname(hostnameOf(url))).toBe(false);
});

test("isLoopbackHostname() refuses what a URL parser would not produce", () => {
  for (const hostname of ["", "127", "127.0.0", "127.0.0.1.", "127.0.0.256", "127.0.0.1234", "127..0.1"]) {
    expect(isLoopbackHostname(hostname)).toBe(false);
  }
});
