/**
 * Loopback hosts (RFC 6761 §6.3, RFC 1122 §3.2.1.3, RFC 4291 §2.5.3): the only
 * hosts plain `http:` is accepted for where httpauth otherwise requires
 * `https:` — a resource's metadata URL (RFC 9728), and a client sending Basic
 * credentials or a Bearer token.
 *
 * @module
 */

const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Whether `text` is a decimal octet of the WHATWG URL parser's normalised IPv4 (0–255, 1 to 3 digits). */
function isOctet(text: string): boolean {
  if (text.length === 0 || text.length > 3) return false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < DIGIT_0 || code > DIGIT_9) return false;
  }
  return Number(text) <= 255;
}

/**
 * Whether a URL's `hostname` names the loopback interface: `localhost`
 * (RFC 6761 §6.3), an address of 127.0.0.0/8 (RFC 1122 §3.2.1.3) or `[::1]`
 * (RFC 4291 §2.5.3). Give it `URL.hostname`: the WHATWG URL parser has
 * already lower-cased the name and normalised IPv4 (`127.1` → `127.0.0.1`)
 * and IPv6 (`[0::1]` → `[::1]`); anything it would not produce is refused.
 *
 * @param hostname `URL.hostname`.
 * @returns `true` for a loopback host.
 *
 * @example Loopback or not, after the URL parser
 * ```ts
 * import assert from "node:assert/strict";
 * import { isLoopbackHostname } from "@httpauth/core";
 *
 * assert.equal(isLoopbackHostname(new URL("http://127.1:8080/").hostname), true);
 * assert.equal(isLoopbackHostname(new URL("http://[0::1]/").hostname), true);
 * assert.equal(isLoopbackHostname(new URL("http://LOCALHOST/").hostname), true);
 * assert.equal(isLoopbackHostname(new URL("http://127.0.0.1.example/").hostname), false);
 * assert.equal(isLoopbackHostname(new URL("http://10.0.0.1/").hostname), false);
 * ```
 */
export function isLoopbackHostname(hostname: string): boolean {
  if (hostname === "localhost" || hostname === "localhost." || hostname === "[::1]") return true;
  const parts: string[] = [];
  let start = 0;
  for (let index = 0; index <= hostname.length; index++) {
    if (index === hostname.length || hostname.charCodeAt(index) === DOT) {
      parts.push(hostname.slice(start, index));
      start = index + 1;
      if (parts.length > 4) return false;
    }
  }
  return parts.length === 4 && parts[0] === "127" && parts.every(isOctet);
}
