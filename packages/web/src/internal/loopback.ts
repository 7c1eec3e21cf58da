/**
 * Loopback hosts: the only hosts a client may send Basic credentials or a Bearer token to over
 * plain `http:` without being told to.
 *
 * @module
 */

const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Whether `text` is 1 to 3 ASCII digits. */
function isDecimalOctet(text: string): boolean {
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
 * (RFC 4291 §2.5.3). The WHATWG URL parser has already lower-cased the name
 * and normalised IPv4 (`127.1` → `127.0.0.1`) and IPv6 (`[0::1]` → `[::1]`).
 *
 * @param hostname `URL.hostname`.
 * @returns `true` for a loopback host.
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
  return parts.length === 4 && parts.every(isDecimalOctet) && parts[0] === "127";
}
