import { describe, expect, test } from "vitest";
import type { AuthRequest } from "../../index.ts";
import {
  computeDigestCredentials,
  createAuthenticator,
  createDigestChallenge,
  digestAuth,
  isHTTPAuthError,
  parseChallenges,
  parseDigestCredentials,
  serializeChallenge,
  serializeCredentials,
} from "../../index.ts";

const SECRET = "a server secret of at least sixteen bytes";
const REST =
  ', realm="api", uri="/", nonce="n", nc=00000001, cnonce="c", qop=auth, response="00000000000000000000000000000000"';

/** User names an attacker sends to forge log lines or smuggle terminal escapes: each must be refused. */
const HOSTILE_NAMES: readonly [label: string, name: string][] = [
  ["U+0080", "a\u0080"],
  ["U+0085 NEXT LINE", "admin\u0085INFO login ok"],
  ["U+009B CSI", "\u009b31mred"],
  ["U+009F", "x\u009f"],
  ["U+2028 LINE SEPARATOR", "alice\u2028INFO login ok"],
  ["U+2029 PARAGRAPH SEPARATOR", "\u2029alice"],
  ["DEL", "alice\u007f"],
  ["LF", "alice\nx"],
];

function utf8AsLatin1(text: string): string {
  return String.fromCharCode(...new TextEncoder().encode(text));
}

function percentEncoded(text: string): string {
  return [...new TextEncoder().encode(text)]
    .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`)
    .join("");
}

describe("Digest user names", () => {
  for (const [label, name] of HOSTILE_NAMES) {
    test(`parseDigestCredentials() refuses a user name with ${label}, as username* and as quoted UTF-8`, () => {
      for (const field of [
        `Digest username*=UTF-8''${percentEncoded(name)}${REST}`,
        ...(name.includes("\n") ? [] : [`Digest username="${utf8AsLatin1(name)}"${REST}`]),
      ]) {
        let error: unknown;
        try {
          parseDigestCredentials(field);
        } catch (caught) {
          error = caught;
        }
        expect(isHTTPAuthError(error) ? error.code : error).toMatch(/^(invalid-parameter|control-character)$/);
      }
    });

    test(`the authenticator never hands a user name with ${label} to the password callback`, async () => {
      const asked: string[] = [];
      const authenticator = createAuthenticator({
        schemes: [
          digestAuth({
            realm: "api",
            secret: SECRET,
            password: (username) => {
              asked.push(username);
              return "pw";
            },
          }),
        ],
      });
      const refused = await authenticator.authenticate({ method: "GET", url: "/", header: () => undefined });
      const [challenge] = parseChallenges(
        refused.ok ? [] : refused.headers.filter(([header]) => header === "WWW-Authenticate").map(([, value]) => value),
      );
      // A client that follows RFC 7616 would send it as username*; build that by hand, as an attacker would.
      const honest = await computeDigestCredentials(challenge!, {
        username: "u",
        password: "pw",
        method: "GET",
        uri: "/",
      });
      const params = { ...honest.params };
      delete params.username;
      params["username*"] = `UTF-8''${percentEncoded(name)}`;
      const request: AuthRequest = {
        method: "GET",
        url: "/",
        header: (header) =>
          header.toLowerCase() === "authorization" ? serializeCredentials({ scheme: "digest", params }) : undefined,
      };
      const outcome = await authenticator.authenticate(request);
      expect(outcome.ok).toBe(false);
      expect(asked).toEqual([]);
    });

    test(`computeDigestCredentials() refuses to send a user name with ${label}`, async () => {
      const challenge = parseChallenges(
        serializeChallenge(await createDigestChallenge({ realm: "api", secret: SECRET })),
      )[0]!;
      await expect(
        computeDigestCredentials(challenge, { username: name, password: "pw", method: "GET", uri: "/" }),
      ).rejects.toThrow(TypeError);
    });
  }

  test("Digest user names keep every other character: Latin-1 letters, U+00A0, CJK, emoji", async () => {
    for (const name of ["Jäsøn Doe", "a\u00a0b", "名前", "🔑 key"]) {
      expect(parseDigestCredentials(`Digest username*=UTF-8''${percentEncoded(name)}${REST}`).username).toBe(name);
      expect(parseDigestCredentials(`Digest username="${utf8AsLatin1(name)}"${REST}`).username).toBe(name);
    }
  });
});
