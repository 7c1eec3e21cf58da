import { expect, test } from "vitest";
import * as library from "../src/index.ts";

test("@httpauth/node exports exactly these values", () => {
  expect(Object.keys(library).sort()).toEqual([
    "createAuthRequest",
    "hashPassword",
    "middleware",
    "protect",
    "sendFailure",
    "timingSafeEqual",
    "verifyPassword",
  ]);
});
