// Every benchmark case: the input, the expected answer, and each
// implementation — httpauth, the pinned peers, the floors — with a function
// that brings its output to one comparable shape. The runner checks every
// implementation's answer once before timing it.
//
// An implementation is { name, kind, run, normalize?, validates?, note? }:
//   kind       "httpauth" | "peer" | "floor"
//   run        the timed call (may return a promise); its result is normalized
//   normalize  output → the shape of the case's `expected` (default: as is)
//   validates  peers only: whether it rejects malformed input at all
//   note       shown beside the result (what the peer does more or less)
//   whenWrong  peers only: why its answer is wrong, in words, recorded as
//              `wrongBecause` only when the check finds it wrong

import {
  basicAuth,
  computeDigestCredentials,
  createAuthenticator,
  createDigestChallenge,
  parseBasicCredentials,
  parseBearerCredentials,
  parseChallenges,
  parseDigestCredentials,
  serializeChallenge,
  serializeCredentials,
  verifyDigestCredentials,
} from "@httpauth/core";
import authHeader from "auth-header";
import * as basicAuthPackage from "basic-auth";
import { bearerAuth as honoBearerAuth } from "hono/bearer-auth";
import { auth as honoBasicAuth } from "hono/utils/basic-auth";
import {
  BEARER,
  buildWWWAuthenticateHeader,
  DIGEST,
  parseAuthorizationHeader,
  parseWWWAuthenticateHeader,
} from "http-auth-utils";
import wwwAuthenticate from "www-authenticate";
import { dpopCases } from "./dpop-cases.mjs";
import {
  base64Atob,
  base64Buffer,
  concatenateChallenge,
  emptyAsyncCall,
  emptyCall,
  scanQuoteAware,
  scanToken,
  threeSHA256,
} from "./floors.mjs";
import {
  BASIC_ASCII,
  BASIC_UTF8,
  BEARER_CHALLENGE_PARAMS,
  BEARER_JWT,
  BEARER_SHORT,
  base64OfUTF8,
  CHALLENGE_BASIC,
  CHALLENGE_DIGEST,
  CHALLENGE_LIST,
  DIGEST_CHALLENGE_PARAMS,
  DIGEST_CREDENTIALS,
  DIGEST_EXAMPLE,
  ESCAPE_PROBE_REALM,
  flat,
} from "./inputs.mjs";
import { resourceChallengesCase } from "./resource-challenges.mjs";

const { parse: parseBasicAuth } = basicAuthPackage;
const WWWAuthenticateParser = wwwAuthenticate.parsers.WWW_Authenticate;

// ── Normalizers ─────────────────────────────────────────────────────────────

/** A plain object with sorted keys, whatever prototype `params` had. */
function plainParams(params) {
  const result = {};
  for (const name of Object.keys(params ?? {}).sort()) result[name] = params[name];
  return result;
}

/** httpauth's Challenge[] as [{ scheme, params, token68? }]. */
function fromChallenges(challenges) {
  return challenges.map((challenge) => ({
    scheme: challenge.scheme,
    params: plainParams(challenge.params),
    ...(challenge.token68 === undefined ? {} : { token68: challenge.token68 }),
  }));
}

/** auth-header's { scheme, params, token } as one challenge (it has no notion of a list). */
function fromAuthHeader(parsed) {
  const lowered = {};
  for (const [name, value] of Object.entries(parsed.params)) lowered[name.toLowerCase()] = value;
  return [
    {
      scheme: parsed.scheme.toLowerCase(),
      params: plainParams(lowered),
      ...(parsed.token === null || parsed.token === undefined ? {} : { token68: parsed.token }),
    },
  ];
}

/** www-authenticate's parser object { scheme, parms, err } as one challenge, or the error it reports. */
function fromWWWAuthenticate(parsed) {
  if (parsed.err !== undefined) return { error: parsed.err };
  return [{ scheme: parsed.scheme.toLowerCase(), params: plainParams(parsed.parms) }];
}

/** http-auth-utils' { type, data } as one challenge. */
function fromHTTPAuthUtils(parsed) {
  return [{ scheme: parsed.type.toLowerCase(), params: plainParams(parsed.data) }];
}

/** A serialized challenge, read back with the RFC 9110 §11 grammar, as [{ scheme, params }]. */
function readBackChallenge(text) {
  return fromChallenges(parseChallenges(text));
}

const DIGEST_FIELDS = ["username", "realm", "uri", "algorithm", "nonce", "nc", "cnonce", "qop", "response", "opaque"];

function pickDigestFields(source) {
  const result = {};
  for (const field of DIGEST_FIELDS) result[field] = source[field];
  return result;
}

// ── Cases ───────────────────────────────────────────────────────────────────

function basicCase(id, variant, input) {
  const header = input.value;
  const token = header.slice(header.indexOf(" ") + 1);
  const request = { headers: { get: () => header } };
  return {
    id,
    operation: "parse Basic credentials",
    variant,
    input: header,
    expected: input.expected,
    primaryFloor: ["base64 decode (atob)", "base64 decode (Buffer)"],
    implementations: [
      { name: "httpauth", kind: "httpauth", run: () => parseBasicCredentials(header) },
      {
        name: "basic-auth",
        kind: "peer",
        validates: true,
        run: () => parseBasicAuth(header),
        normalize: (output) => ({ username: output.name, password: output.pass }),
      },
      {
        name: "hono utils/basic-auth",
        kind: "peer",
        validates: true,
        note: "auth(request) reading a stub request's Authorization header",
        run: () => honoBasicAuth(request),
      },
      {
        name: "http-auth-utils",
        kind: "peer",
        validates: false,
        note: "no syntax check: Buffer's base64 decoder skips what it cannot read",
        run: () => parseAuthorizationHeader(header),
        normalize: (output) => ({ username: output.data.username, password: output.data.password }),
      },
      { name: "empty call", kind: "floor", run: () => emptyCall(header), normalize: () => input.expected },
      { name: "charCodeAt scan + slice", kind: "floor", run: () => scanToken(header), normalize: () => input.expected },
      { name: "base64 decode (atob)", kind: "floor", run: () => base64Atob(token), normalize: () => input.expected },
      {
        name: "base64 decode (Buffer)",
        kind: "floor",
        run: () => base64Buffer(token),
        normalize: () => input.expected,
      },
    ],
  };
}

function bearerCase(id, variant, input) {
  const header = input.value;
  const context = { req: { header: () => header } };
  let honoToken;
  const honoMiddleware = honoBearerAuth({
    verifyToken: (token) => {
      honoToken = token;
      return true;
    },
  });
  const next = async () => {};
  return {
    id,
    operation: "parse Bearer credentials",
    variant,
    input: header.length > 80 ? `${header.slice(0, 60)}… (${header.length} characters)` : header,
    expected: input.expected,
    primaryFloor: ["charCodeAt scan + slice"],
    implementations: [
      {
        name: "httpauth",
        kind: "httpauth",
        run: () => parseBearerCredentials(header),
        normalize: (output) => output.token,
      },
      {
        name: "hono bearer-auth",
        kind: "peer",
        validates: true,
        note: "the bearerAuth middleware (async) on a stub context, verifyToken capturing the token",
        run: async () => {
          honoToken = undefined;
          await honoMiddleware(context, next);
          return honoToken;
        },
      },
      {
        name: "auth-header",
        kind: "peer",
        validates: false,
        run: () => authHeader.parse(header),
        normalize: (output) => output.token,
      },
      {
        name: "http-auth-utils",
        kind: "peer",
        validates: false,
        run: () => parseAuthorizationHeader(header),
        normalize: (output) => output.data.hash,
      },
      { name: "empty call", kind: "floor", run: () => emptyCall(header), normalize: () => input.expected },
      { name: "charCodeAt scan + slice", kind: "floor", run: () => scanToken(header) },
    ],
  };
}

/** challengeCase's `whenWrong` for the list of three challenges, per peer. */
const LIST_WHEN_WRONG = {
  "auth-header": "merges the three challenges into one Basic challenge (realm becomes a list)",
  "www-authenticate": 'reads one Basic challenge with parameters named "Bearer realm" and "Digest realm"',
  "http-auth-utils": "throws on the list",
};

function challengeCase(id, operation, variant, input, whenWrong = {}) {
  const header = input.value;
  return {
    id,
    operation,
    variant,
    input: header,
    expected: input.expected,
    primaryFloor: ["quote-aware charCodeAt scan"],
    implementations: [
      { name: "httpauth", kind: "httpauth", run: () => parseChallenges(header), normalize: fromChallenges },
      {
        name: "auth-header",
        kind: "peer",
        validates: false,
        whenWrong: whenWrong["auth-header"],
        run: () => authHeader.parse(header),
        normalize: fromAuthHeader,
      },
      {
        name: "www-authenticate",
        kind: "peer",
        validates: false,
        whenWrong: whenWrong["www-authenticate"],
        run: () => new WWWAuthenticateParser(header),
        normalize: fromWWWAuthenticate,
      },
      {
        name: "http-auth-utils",
        kind: "peer",
        validates: false,
        whenWrong: whenWrong["http-auth-utils"],
        note: "knows only the parameters of Basic, Digest and Bearer; case-sensitive scheme",
        run: () => parseWWWAuthenticateHeader(header),
        normalize: fromHTTPAuthUtils,
      },
      { name: "empty call", kind: "floor", run: () => emptyCall(header), normalize: () => input.expected },
      {
        name: "quote-aware charCodeAt scan",
        kind: "floor",
        run: () => scanQuoteAware(header),
        normalize: () => input.expected,
      },
    ],
  };
}

function digestCredentialsCase() {
  const header = DIGEST_CREDENTIALS.value;
  return {
    id: "parse-digest-credentials",
    operation: "parse Digest credentials",
    variant: "RFC 7616 §3.9.1 (SHA-256)",
    input: header,
    expected: DIGEST_CREDENTIALS.expected,
    primaryFloor: ["quote-aware charCodeAt scan"],
    implementations: [
      {
        name: "httpauth",
        kind: "httpauth",
        note: "parseDigestCredentials: the grammar plus every RFC 7616 field rule",
        run: () => parseDigestCredentials(header),
        normalize: pickDigestFields,
      },
      {
        name: "auth-header",
        kind: "peer",
        validates: false,
        run: () => authHeader.parse(header),
        normalize: (output) => pickDigestFields(output.params),
      },
      {
        name: "http-auth-utils",
        kind: "peer",
        validates: false,
        run: () => parseAuthorizationHeader(header),
        normalize: (output) => pickDigestFields(output.data),
      },
      {
        name: "empty call",
        kind: "floor",
        run: () => emptyCall(header),
        normalize: () => DIGEST_CREDENTIALS.expected,
      },
      {
        name: "quote-aware charCodeAt scan",
        kind: "floor",
        run: () => scanQuoteAware(header),
        normalize: () => DIGEST_CREDENTIALS.expected,
      },
    ],
  };
}

const example = DIGEST_EXAMPLE;
const ha1Input = `${example.username}:${example.realm}:${example.password}`;
const ha2Input = `${example.method}:${example.uri}`;
const responsePrefix = `${example.nonce}:${example.nc}:${example.cnonce}:${example.qop}`;

function computeDigestCase() {
  const challenge = {
    scheme: "digest",
    params: {
      realm: example.realm,
      qop: "auth",
      algorithm: "SHA-256",
      nonce: example.nonce,
      opaque: example.opaque,
    },
  };
  const options = {
    username: example.username,
    password: example.password,
    method: example.method,
    uri: example.uri,
    cnonce: example.cnonce,
    nc: 1,
  };
  return {
    id: "compute-digest-sha256",
    operation: "compute a Digest SHA-256 response",
    variant: "RFC 7616 §3.9.1",
    input: "username Mufasa, SHA-256, qop=auth, nc=1",
    expected: example.response,
    primaryFloor: ["3 × SHA-256 (node:crypto createHash)"],
    implementations: [
      {
        name: "httpauth",
        kind: "httpauth",
        note: "computeDigestCredentials (async: SHA-256 from WebCrypto), the whole credentials object",
        run: () => computeDigestCredentials(challenge, options),
        normalize: (output) => output.params.response,
      },
      {
        name: "http-auth-utils",
        kind: "peer",
        validates: false,
        note: "DIGEST.computeHash (sync node:crypto), the response hash only",
        run: () =>
          DIGEST.computeHash({
            algorithm: "sha256",
            username: example.username,
            realm: example.realm,
            password: example.password,
            method: example.method,
            uri: example.uri,
            nonce: example.nonce,
            nc: example.nc,
            cnonce: example.cnonce,
            qop: example.qop,
          }),
      },
      {
        name: "empty async call",
        kind: "floor",
        run: () => emptyAsyncCall(example),
        normalize: () => example.response,
      },
      {
        name: "3 × SHA-256 (node:crypto createHash)",
        kind: "floor",
        run: () => threeSHA256(ha1Input, ha2Input, responsePrefix),
      },
    ],
  };
}

async function verifyDigestCase() {
  const secret = "benchmark secret, thirty-two bytes";
  const now = 1_790_000_000_000;
  const challenge = await createDigestChallenge({ realm: example.realm, secret, now, opaque: example.opaque });
  const credentials = await computeDigestCredentials(challenge, {
    username: example.username,
    password: example.password,
    method: example.method,
    uri: example.uri,
    cnonce: example.cnonce,
    nc: 1,
  });
  const header = serializeCredentials(credentials);
  const options = {
    method: example.method,
    uri: example.uri,
    realm: example.realm,
    secret,
    now,
    nonceCounts: false,
    password: (username) => (username === example.username ? example.password : undefined),
  };
  return {
    id: "verify-digest-sha256",
    operation: "verify a Digest SHA-256 response",
    variant: "server side, from the header",
    input: `${header.slice(0, 60)}…`,
    expected: true,
    primaryFloor: ["3 × SHA-256 (node:crypto createHash)"],
    implementations: [
      {
        name: "httpauth",
        kind: "httpauth",
        note: "verifyDigestCredentials: parse, realm/algorithm/qop/uri checks, the nonce's HMAC, 3 hashes, constant-time compare (replay store off)",
        run: () => verifyDigestCredentials(header, options),
        normalize: (output) => output.ok === true && output.username === example.username,
      },
      {
        name: "http-auth-utils",
        kind: "peer",
        validates: false,
        note: "parseAuthorizationHeader + computeHash + ===: no nonce authentication, no realm/uri check, not constant-time",
        run: () => {
          const { data } = parseAuthorizationHeader(header);
          const expected = DIGEST.computeHash({
            ...data,
            algorithm: "sha256",
            password: example.password,
            method: "GET",
          });
          return expected === data.response;
        },
      },
      { name: "empty async call", kind: "floor", run: () => emptyAsyncCall(header), normalize: () => true },
      {
        name: "3 × SHA-256 (node:crypto createHash)",
        kind: "floor",
        run: () => threeSHA256(ha1Input, ha2Input, responsePrefix),
        normalize: () => true,
      },
    ],
  };
}

function serializeCase(id, variant, scheme, params, peers) {
  const challenge = { scheme, params };
  const expected = readBackChallenge(serializeChallenge(challenge));
  const probeParams = { ...params, realm: ESCAPE_PROBE_REALM };
  const registered = scheme === "bearer" ? "Bearer" : "Digest";
  return {
    id,
    operation: "serialize a challenge",
    variant,
    input: JSON.stringify(params),
    expected,
    primaryFloor: ["concatenation, no checks"],
    checkNote: `An output is right when the RFC 9110 §11 grammar reads it back as the same challenge; also checked with realm ${JSON.stringify(ESCAPE_PROBE_REALM)}, which must be escaped.`,
    implementations: [
      {
        name: "httpauth",
        kind: "httpauth",
        note: "serializeChallenge: names and values checked, quoted-strings escaped, the scheme's RFC rules applied",
        run: () => serializeChallenge(challenge),
        normalize: readBackChallenge,
        probe: () => serializeChallenge({ scheme, params: probeParams }),
      },
      ...peers.map((peer) => ({
        ...peer,
        kind: "peer",
        run: () => peer.serialize(params),
        normalize: readBackChallenge,
        probe: () => peer.serialize(probeParams),
      })),
      {
        name: "concatenation, no checks",
        kind: "floor",
        run: () => concatenateChallenge(registered, params),
        normalize: () => expected,
      },
    ],
    probeExpected: readBackChallenge(serializeChallenge({ scheme, params: probeParams })),
  };
}

function authenticateCase(id, variant, header, expected) {
  const realm = "api";
  const challengeLine = 'Basic realm="api", charset="UTF-8"';
  const verify = (username, password) => (username === "Aladdin" && password === "open sesame" ? username : undefined);
  const authenticator = createAuthenticator({ schemes: [basicAuth({ realm, verify })] });
  const request = {
    method: "GET",
    url: "/private",
    header: (name) => (name === "authorization" ? header : null),
  };
  const honoRequest = { headers: { get: () => header } };
  const decide = (credentials) => {
    if (credentials !== undefined && verify(credentials.username, credentials.password) !== undefined) {
      return { ok: true, identity: credentials.username };
    }
    return { ok: false, status: 401, headers: [["WWW-Authenticate", challengeLine]] };
  };
  const normalize = (outcome) =>
    outcome.ok
      ? { ok: true, identity: outcome.identity }
      : {
          ok: false,
          status: outcome.status,
          challenges: outcome.headers.filter(([name]) => name === "WWW-Authenticate").map(([, value]) => value),
        };
  return {
    id,
    operation: "authenticate() a Basic request",
    variant,
    input: header,
    expected,
    primaryFloor: ["empty async call"],
    implementations: [
      {
        name: "httpauth",
        kind: "httpauth",
        note: "createAuthenticator([basicAuth]).authenticate(): the whole decision, with status, challenge line and body",
        run: () => authenticator.authenticate(request),
        normalize,
      },
      {
        name: "basic-auth",
        kind: "peer",
        validates: true,
        note: "parse() plus a hand-written decision (sync)",
        run: () => {
          const parsed = parseBasicAuth(request.header("authorization") ?? "");
          return decide(parsed === undefined ? undefined : { username: parsed.name, password: parsed.pass });
        },
        normalize,
      },
      {
        name: "hono utils/basic-auth",
        kind: "peer",
        validates: true,
        note: "auth() plus a hand-written decision (sync)",
        run: () => decide(honoBasicAuth(honoRequest)),
        normalize,
      },
      { name: "empty async call", kind: "floor", run: () => emptyAsyncCall(request), normalize: () => expected },
    ],
  };
}

/** Every case, in the order they run and are shown. */
export async function buildCases() {
  return [
    basicCase("parse-basic-ascii", "ASCII", BASIC_ASCII),
    basicCase("parse-basic-utf8", "UTF-8", BASIC_UTF8),
    bearerCase("parse-bearer-short", "short token", BEARER_SHORT),
    bearerCase("parse-bearer-jwt", "600-byte JWT", BEARER_JWT),
    challengeCase("parse-challenge-basic", "parse one challenge", "Basic", CHALLENGE_BASIC),
    challengeCase(
      "parse-challenge-list",
      "parse a list of three challenges",
      "Basic, Bearer, Digest",
      CHALLENGE_LIST,
      LIST_WHEN_WRONG,
    ),
    challengeCase("parse-challenge-digest", "parse one challenge", "Digest, six parameters", CHALLENGE_DIGEST),
    resourceChallengesCase(),
    digestCredentialsCase(),
    computeDigestCase(),
    await verifyDigestCase(),
    ...(await dpopCases()),
    serializeCase("serialize-bearer", "Bearer, three parameters", "bearer", BEARER_CHALLENGE_PARAMS, [
      {
        name: "http-auth-utils",
        validates: false,
        note: "buildWWWAuthenticateHeader: wraps values in quotes without escaping",
        whenWrong: 'escapes nothing: a realm with " or \\ comes out unreadable',
        serialize: (params) => buildWWWAuthenticateHeader(BEARER, params),
      },
      {
        name: "auth-header",
        validates: false,
        note: "format(): parameters separated by spaces, not commas",
        whenWrong: "separates parameters with spaces, not commas: the header cannot be read back",
        serialize: (params) => authHeader.format("Bearer", undefined, params),
      },
    ]),
    serializeCase("serialize-digest", "Digest, six parameters", "digest", DIGEST_CHALLENGE_PARAMS, [
      {
        name: "http-auth-utils",
        validates: false,
        note: "buildWWWAuthenticateHeader: wraps values in quotes without escaping; quotes algorithm, a token in RFC 7616",
        whenWrong: 'escapes nothing: a realm with " or \\ comes out unreadable',
        serialize: (params) => buildWWWAuthenticateHeader(DIGEST, params),
      },
      {
        name: "auth-header",
        validates: false,
        note: "format(): parameters separated by spaces, not commas",
        whenWrong: "separates parameters with spaces, not commas: the header cannot be read back",
        serialize: (params) => authHeader.format("Digest", undefined, params),
      },
    ]),
    authenticateCase("authenticate-basic-success", "success", BASIC_ASCII.value, { ok: true, identity: "Aladdin" }),
    authenticateCase(
      "authenticate-basic-failure",
      "wrong password",
      flat(`Basic ${base64OfUTF8("Aladdin:open sesamf")}`),
      {
        ok: false,
        status: 401,
        challenges: ['Basic realm="api", charset="UTF-8"'],
      },
    ),
  ];
}

/** The peers' pinned versions, for the results file. */
export const PEER_PACKAGES = [
  "basic-auth",
  "hono",
  "auth-header",
  "www-authenticate",
  "http-auth-utils",
  "mitata",
  "express",
  "express-basic-auth",
  "@hono/node-server",
  "autocannon",
  "oauth4webapi",
  "jose",
];
