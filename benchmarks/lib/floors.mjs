// Floors: the least work an operation can cost on this runtime, so that a
// time has a meaning. None of them validates anything; each gives an answer
// only for the well-formed benchmark input.

import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";

const SP = 0x20;
const DQUOTE = 0x22;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const BSLASH = 0x5c;

/** An empty call: a function that hands its argument back. */
export function emptyCall(value) {
  return value;
}

/** An empty async call: what awaiting any async function costs. */
export async function emptyAsyncCall(value) {
  return value;
}

/** A bare charCodeAt scan to the first space, then the rest sliced off: `scheme SP token`. */
export function scanToken(value) {
  const length = value.length;
  let index = 0;
  while (index < length && value.charCodeAt(index) !== SP) index++;
  return value.slice(index + 1);
}

/**
 * A quote-aware charCodeAt scan: splits `scheme name=value, name="quoted"`
 * lists into slices (scheme, name, value, …), jumping over quoted-pairs, with
 * no validation, no unescaping and no lower-casing.
 */
export function scanQuoteAware(value) {
  const parts = [];
  const length = value.length;
  let index = 0;
  while (index < length) {
    let code = value.charCodeAt(index);
    if (code === SP || code === COMMA) {
      index++;
      continue;
    }
    const start = index;
    while (index < length) {
      code = value.charCodeAt(index);
      if (code === SP || code === EQUALS || code === COMMA) break;
      index++;
    }
    parts.push(value.slice(start, index));
    if (code !== EQUALS || index >= length) continue;
    index++;
    if (value.charCodeAt(index) === DQUOTE) {
      const open = ++index;
      while (index < length) {
        code = value.charCodeAt(index);
        if (code === DQUOTE) break;
        index += code === BSLASH ? 2 : 1;
      }
      parts.push(value.slice(open, index));
      index++;
    } else {
      const valueStart = index;
      while (index < length) {
        code = value.charCodeAt(index);
        if (code === COMMA || code === SP) break;
        index++;
      }
      parts.push(value.slice(valueStart, index));
    }
  }
  return parts;
}

/** The runtime's own base64 decoder through the web API: `atob`, to a binary string. */
export function base64Atob(token) {
  return atob(token);
}

/** The runtime's own base64 decoder through node:buffer, to bytes. */
export function base64Buffer(token) {
  return Buffer.from(token, "base64");
}

/** `scheme name="value", …` by plain concatenation: no checks, no escaping. */
export function concatenateChallenge(scheme, params) {
  let result = "";
  for (const name in params) {
    result += `${result === "" ? "" : ", "}${name}="${params[name]}"`;
  }
  return `${scheme} ${result}`;
}

/** The three SHA-256 digests a Digest response needs (HA1, HA2, response), with node:crypto. */
export function threeSHA256(ha1Input, ha2Input, responsePrefix) {
  const ha1 = createHash("sha256").update(ha1Input).digest("hex");
  const ha2 = createHash("sha256").update(ha2Input).digest("hex");
  return createHash("sha256").update(`${ha1}:${responsePrefix}:${ha2}`).digest("hex");
}
