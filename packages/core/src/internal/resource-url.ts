/**
 * The URL rule of RFC 9728 for resource identifiers and metadata URLs: an
 * absolute `https` URL without a fragment; plain `http` only on a loopback
 * host (for development), never anywhere else.
 *
 * @module
 */

/** The longest URL accepted, in characters: far above any real one, low enough to bound the work. */
export const MAX_URL_LENGTH = 2048;

const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Whether `text` is a decimal octet of the WHATWG URL parser's normalised IPv4 (0–255, no leading zeros). */
function isOctet(text: string): boolean {
  if (text.length === 0 || text.length > 3) return false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < DIGIT_0 || code > DIGIT_9) return false;
  }
  return Number(text) <= 255;
}

/**
 * Whether a URL's `hostname` (already normalised by the WHATWG URL parser)
 * names the loopback interface: `localhost` (RFC 6761 §6.3), 127.0.0.0/8
 * (RFC 1122 §3.2.1.3) or `[::1]` (RFC 4291 §2.5.3).
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
  return parts.length === 4 && parts[0] === "127" && parts.every(isOctet);
}

/**
 * Why `value` is not a URL RFC 9728 accepts, or `undefined` when it is one.
 *
 * @param value Anything.
 * @returns A sentence fragment for an error message, or `undefined`.
 */
export function resourceURLProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return "must be a string";
  if (value.length > MAX_URL_LENGTH) return `is longer than ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL such as https://api.example/mcp";
  }
  if (url.protocol === "http:") {
    if (!isLoopbackHostname(url.hostname)) {
      return "must use https; http is allowed only on a loopback host (localhost, 127.0.0.0/8, [::1])";
    }
  } else if (url.protocol !== "https:") {
    return "must be an https URL (http only on a loopback host)";
  }
  if (url.hash !== "" || value.includes("#")) return "must not have a fragment (RFC 9728 §1.2)";
  if (url.username !== "" || url.password !== "") return "must not carry a user name or password";
  return undefined;
}

/**
 * Checks a URL against RFC 9728's rule.
 *
 * @param value The URL.
 * @param what Who is asking and which value, for the message (`bearerAuth(): resourceMetadata`).
 * @returns The URL, exactly as given (clients compare it character by character, RFC 9728 §3.3).
 * @throws {TypeError} With `what` and the problem.
 */
export function checkResourceURL(value: unknown, what: string): string {
  const problem = resourceURLProblem(value);
  if (problem !== undefined) throw new TypeError(`${what} ${problem}`);
  return value as string;
}
