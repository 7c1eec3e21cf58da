// The benchmark inputs: fixed strings, the same on every runtime and in every
// run, mostly taken from the RFCs' own examples. Every header value is made
// flat (one contiguous string), as a server's HTTP parser hands it over: a
// string built by concatenation is a rope, and reading a rope char by char
// costs more than reading a header does.

/** A flat copy of `text`: JSON.parse builds a fresh sequential string. */
export function flat(text) {
  return JSON.parse(JSON.stringify(text));
}

/** Base64 (RFC 4648 §4) of the UTF-8 octets of `text`, built without node:buffer. */
export function base64OfUTF8(text) {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Base64url without padding (RFC 4648 §5) of `bytes`. */
function base64url(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

/** Deterministic pseudo-random bytes (xorshift32), so the JWT is the same in every run. */
function pseudoRandomBytes(count, seed) {
  const bytes = new Uint8Array(count);
  let state = seed;
  for (let index = 0; index < count; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

/** A JWT-shaped b64token (header.payload.signature, RS256-sized signature) of exactly `length` characters. */
function makeJWT(length) {
  const encoder = new TextEncoder();
  const header = base64url(encoder.encode(JSON.stringify({ alg: "RS256", typ: "JWT", kid: "2026-11-key-1" })));
  const signature = base64url(pseudoRandomBytes(256, 0x9e3779b9));
  for (let filler = 0; ; filler++) {
    const claims = JSON.stringify({
      iss: "https://auth.example.com/",
      sub: "user-7f3a9c",
      aud: "https://api.example.com",
      iat: 1_790_000_000,
      exp: 1_790_003_600,
      scope: "read write",
      pad: "x".repeat(filler),
    });
    const payload = base64url(encoder.encode(claims));
    const token = `${header}.${payload}.${signature}`;
    // Trimming the signature keeps every character a b64token character.
    if (token.length >= length) return token.slice(0, length);
  }
}

export const BASIC_ASCII = {
  value: flat("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
  expected: { username: "Aladdin", password: "open sesame" },
};

const utf8User = { username: "Zoë Ångström", password: "pässwörd€1" };
export const BASIC_UTF8 = {
  value: flat(`Basic ${base64OfUTF8(`${utf8User.username}:${utf8User.password}`)}`),
  expected: utf8User,
};

export const BEARER_SHORT = { value: flat("Bearer mF_9.B5f-4.1JqM"), expected: "mF_9.B5f-4.1JqM" };

const jwt = makeJWT(600);
export const BEARER_JWT = { value: flat(`Bearer ${jwt}`), expected: jwt };

export const CHALLENGE_BASIC = {
  value: flat('Basic realm="Our site"'),
  expected: [{ scheme: "basic", params: { realm: "Our site" } }],
};

const DIGEST_NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
const DIGEST_OPAQUE = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";

export const CHALLENGE_LIST = {
  value: flat(
    'Basic realm="a", Bearer realm="b", error="invalid_token", Digest realm="c", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", qop="auth"',
  ),
  expected: [
    { scheme: "basic", params: { realm: "a" } },
    { scheme: "bearer", params: { realm: "b", error: "invalid_token" } },
    { scheme: "digest", params: { realm: "c", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", qop: "auth" } },
  ],
};

/** Six parameters, with a comma inside a quoted-string and a bare token (RFC 7616 §3.9.1 plus domain). */
export const DIGEST_CHALLENGE_PARAMS = {
  realm: "http-auth@example.org",
  domain: "/api",
  qop: "auth, auth-int",
  algorithm: "SHA-256",
  nonce: DIGEST_NONCE,
  opaque: DIGEST_OPAQUE,
};

export const CHALLENGE_DIGEST = {
  value: flat(
    `Digest realm="http-auth@example.org", domain="/api", qop="auth, auth-int", algorithm=SHA-256, nonce="${DIGEST_NONCE}", opaque="${DIGEST_OPAQUE}"`,
  ),
  expected: [{ scheme: "digest", params: DIGEST_CHALLENGE_PARAMS }],
};

/** RFC 7616 §3.9.1, the SHA-256 response. */
export const DIGEST_EXAMPLE = {
  username: "Mufasa",
  password: "Circle of Life",
  realm: "http-auth@example.org",
  method: "GET",
  uri: "/dir/index.html",
  nonce: DIGEST_NONCE,
  cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
  nc: "00000001",
  qop: "auth",
  opaque: DIGEST_OPAQUE,
  response: "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
};

export const DIGEST_CREDENTIALS = {
  value: flat(
    `Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, ` +
      `nonce="${DIGEST_NONCE}", nc=00000001, cnonce="${DIGEST_EXAMPLE.cnonce}", qop=auth, ` +
      `response="${DIGEST_EXAMPLE.response}", opaque="${DIGEST_OPAQUE}"`,
  ),
  expected: {
    username: "Mufasa",
    realm: "http-auth@example.org",
    uri: "/dir/index.html",
    algorithm: "SHA-256",
    nonce: DIGEST_NONCE,
    nc: "00000001",
    cnonce: DIGEST_EXAMPLE.cnonce,
    qop: "auth",
    response: DIGEST_EXAMPLE.response,
    opaque: DIGEST_OPAQUE,
  },
};

export const BEARER_CHALLENGE_PARAMS = {
  realm: "example",
  error: "invalid_token",
  error_description: "The access token expired",
};

/** A realm that must be escaped: a serializer that skips escaping writes a broken field. */
export const ESCAPE_PROBE_REALM = 'Our "site" \\ staff';
