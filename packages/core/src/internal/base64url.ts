/**
 * Strict base64url without padding (RFC 4648 §5, RFC 7515 §2), for JWS
 * parts and JWK members: only A–Z a–z 0–9 - _, no `=`, no whitespace, and
 * zero bits past the data in the last symbol, so that every byte string has
 * exactly one spelling. Built on the strict base64 codec.
 *
 * @module
 */

import { decodeBase64, encodeBase64 } from "./base64.ts";

/**
 * Decodes strict, unpadded base64url.
 *
 * @param text The encoded text.
 * @returns The bytes, or `undefined` when `text` is not strict base64url.
 */
export function decodeBase64URL(text: string): Uint8Array | undefined {
  let standard = "";
  let from = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    // "+", "/" and "=" belong to base64, not base64url; the base64 decoder refuses every other stranger.
    if (code === 0x2b || code === 0x2f || code === 0x3d) return undefined;
    if (code === 0x2d || code === 0x5f) {
      standard += text.slice(from, index) + (code === 0x2d ? "+" : "/");
      from = index + 1;
    }
  }
  standard += text.slice(from);
  const bytes = decodeBase64(standard, { allowUnpadded: true });
  return bytes instanceof Uint8Array ? bytes : undefined;
}

/**
 * Encodes bytes as base64url without padding.
 *
 * @param bytes The bytes.
 * @returns The text.
 */
export function encodeBase64URL(bytes: Uint8Array): string {
  const standard = encodeBase64(bytes);
  let end = standard.length;
  while (end > 0 && standard.charCodeAt(end - 1) === 0x3d) end--;
  let text = "";
  let from = 0;
  for (let index = 0; index < end; index++) {
    const code = standard.charCodeAt(index);
    if (code === 0x2b || code === 0x2f) {
      text += standard.slice(from, index) + (code === 0x2b ? "-" : "_");
      from = index + 1;
    }
  }
  return text + standard.slice(from, end);
}
