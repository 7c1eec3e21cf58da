// `pnpm demo:grammar`: parse and serialize a few real
// authentication headers with @httpauth/core and print what comes out.

import {
  isHTTPAuthError,
  parseAuthParams,
  parseChallenges,
  parseCredentials,
  serializeChallenge,
} from "../packages/core/dist/index.js";

function show(title, input, run) {
  console.log(`\n— ${title}`);
  console.log(`  in:  ${JSON.stringify(input)}`);
  try {
    const output = run(input);
    const lines = (typeof output === "string" ? output : JSON.stringify(output, null, 2)).split("\n");
    console.log(`  out: ${lines.join("\n       ")}`);
  } catch (error) {
    if (!isHTTPAuthError(error)) throw error;
    console.log(`  HTTPAuthError ${error.code} at index ${error.index}: ${error.message}`);
  }
}

console.log("httpauth demo: the RFC 9110 §11 grammar in @httpauth/core");

show(
  "RFC 9110 §11.6.1's example: one field value, exactly two challenges",
  'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
  (value) => parseChallenges(value),
);

show(
  "What fetch()'s Headers.get() gives for three WWW-Authenticate lines, split back apart",
  'Digest realm="api", qop="auth", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", Basic realm="api", charset="UTF-8", Bearer realm="api", error="invalid_token"',
  (value) => parseChallenges(value).map((challenge) => `${challenge.scheme}: realm=${challenge.params.realm}`),
);

show("Basic credentials (RFC 7617 §2)", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", (value) => parseCredentials(value));

show(
  "Digest credentials (RFC 7616 §3.9.1)",
  'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="8ca523f5e9506fed4657c9700eebdbec"',
  (value) => parseCredentials(value).params,
);

show("Authentication-Info", 'rspauth="6629fae49393a05397450978507c4ef1", qop=auth, nc=00000001', (value) =>
  parseAuthParams(value),
);

show(
  "Serializing: realm always quoted, quotes and backslashes escaped, one challenge per line",
  { scheme: "basic", params: { realm: 'The "staff" \\ area', charset: "UTF-8" } },
  (challenge) => `WWW-Authenticate: ${serializeChallenge(challenge)}`,
);

show("A header-injection attempt is refused, with a position and no echo", "Bearer abc\r\nX-Admin: 1", (value) =>
  parseCredentials(value),
);

show("A repeated parameter is refused (RFC 9110 §11.2)", 'Basic realm="a", realm="b"', (value) =>
  parseChallenges(value),
);

try {
  serializeChallenge({ scheme: "basic", params: { realm: "api\r\nSet-Cookie: admin=1" } });
} catch (error) {
  console.log(
    `\n— Serializing CR LF into a header throws before it reaches the wire\n  ${error.name}: ${error.message}`,
  );
}

console.log(
  "\nNext: `npx -y pnpm@12.4.2 install && npx -y pnpm@12.4.2 test` runs every test on Node, Deno, Bun and workerd.",
);
