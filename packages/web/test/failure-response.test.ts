// createFailureResponse()'s digestChallenges option: one Digest challenge per challenge field
// for runtimes that join header lines, the order of the others kept, hostile lines left alone.

import type { AuthFailure } from "@httpauth/core";
import { describe, expect, test } from "vitest";
import { createFailureResponse } from "../src/index.ts";

function failure(headers: AuthFailure["headers"], status: AuthFailure["status"] = 401): AuthFailure {
  return { ok: false, status, headers, body: "refused", reason: "missing-credentials" } as AuthFailure;
}

const SHA256 = 'Digest realm="a", nonce="n1", algorithm=SHA-256, qop="auth"';
const MD5 = 'Digest realm="a", nonce="n2", algorithm=MD5, qop="auth"';
const BASIC = 'Basic realm="a"';

describe("createFailureResponse() digestChallenges", () => {
  test("createFailureResponse() keeps every challenge by default and with all", () => {
    const lines: AuthFailure["headers"] = [
      ["WWW-Authenticate", SHA256],
      ["WWW-Authenticate", MD5],
      ["WWW-Authenticate", BASIC],
    ];
    for (const options of [undefined, {}, { digestChallenges: "all" as const }]) {
      expect(createFailureResponse(failure(lines), options).headers.get("www-authenticate")).toBe(
        `${SHA256}, ${MD5}, ${BASIC}`,
      );
    }
  });

  test("createFailureResponse() with first keeps the first Digest challenge of each field, in place", () => {
    const response = createFailureResponse(
      failure([
        ["WWW-Authenticate", BASIC],
        ["www-authenticate", SHA256],
        ["WWW-Authenticate", MD5],
        ["Proxy-Authenticate", MD5],
        ["Proxy-Authenticate", SHA256],
        ["Retry-After", "5"],
        ["Content-Type", "text/plain; charset=utf-8"],
      ]),
      { digestChallenges: "first" },
    );
    expect(response.headers.get("www-authenticate")).toBe(`${BASIC}, ${SHA256}`);
    expect(response.headers.get("proxy-authenticate")).toBe(MD5);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  });

  test("createFailureResponse() with first leaves unparsable and non-Digest lines alone", () => {
    const odd = [
      "Digest",
      "Digest ,,,",
      'Digestive realm="a"',
      'Basic realm="a", Digest realm="b"',
      "x".repeat(10_000),
    ];
    const response = createFailureResponse(failure(odd.map((value): [string, string] => ["WWW-Authenticate", value])), {
      digestChallenges: "first",
    });
    // "Digest", "Digest ,,," (empty list elements) and "Basic …, Digest …" all hold a Digest
    // challenge: only the first stays. "Digestive" is another scheme; "xxx…" is kept as it is.
    expect(response.headers.get("www-authenticate")).toBe(
      ["Digest", 'Digestive realm="a"', "x".repeat(10_000)].join(", "),
    );
  });

  test("createFailureResponse() checks its options", () => {
    const outcome = failure([["WWW-Authenticate", BASIC]]);
    for (const options of ["first", 1, null, { digestChallenges: "none" }, { digestChallenges: 1 }]) {
      expect(() => createFailureResponse(outcome, options as never)).toThrow(TypeError);
    }
    expect(() =>
      createFailureResponse(failure([["WWW-Authenticate", 1 as never]]), { digestChallenges: "first" }),
    ).toThrow(TypeError);
  });
});
