// The correctness half of the "read OAuth resource-server challenges" case,
// without timing anything: how many vectors each reader gets right. httpauth
// must read all of them; the peers' scores are pinned so that a change in
// them (or in the vectors) is noticed and the README's numbers updated.

import { expect, test } from "vitest";
import { RESOURCE_VECTORS, resourceChallengesCase } from "../lib/resource-challenges.mjs";

const definition = resourceChallengesCase();

async function scoreOf(name) {
  const implementation = definition.implementations.find((candidate) => candidate.name === name);
  return definition.score(implementation.normalize(await implementation.run()));
}

test("the resource-challenge case reads every vector with an expected answer", () => {
  expect(RESOURCE_VECTORS.length).toBe(definition.perCall);
  expect(RESOURCE_VECTORS.length).toBeGreaterThanOrEqual(20);
});

test("httpauth reads every resource-server challenge right", async () => {
  expect(await scoreOf("httpauth")).toBe(RESOURCE_VECTORS.length);
});

test("the MCP SDK's regex approach misses the six layouts it cannot see", async () => {
  expect(await scoreOf("MCP SDK regex (equivalent)")).toBe(RESOURCE_VECTORS.length - 6);
});

test("oauth4webapi parses every layout but does not check resource_metadata is absolute", async () => {
  expect(await scoreOf("oauth4webapi 3.8.9")).toBe(RESOURCE_VECTORS.length - 1);
});
