// The authenticator checks of workerd-durable-object.mjs: service "a" at
// `${origin}/…` and service "b" at `${origin}/b/…` are two isolates whose
// authenticators keep their state only in one Durable Object namespace.

import { join } from "node:path";
import { pathToFileURL } from "node:url";

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * Runs the checks; adds to `results`.
 * @param {string} origin
 * @param {{ passed: number, failed: number }} results
 * @param {() => AbortSignal} timeout
 * @param {string} directory the scratch folder holding core.mjs
 */
export async function checkAuthenticator(origin, results, timeout, directory) {
  const { computeDigestCredentials, parseChallenges, serializeCredentials } = await import(
    pathToFileURL(join(directory, "core.mjs")).href
  );
  async function check(name, body) {
    try {
      await body();
      results.passed++;
      console.log(`✓ ${name}`);
    } catch (error) {
      results.failed++;
      console.log(`✗ ${name}\n  ${String(error?.message ?? error).replaceAll("\n", "\n  ")}`);
    }
  }
  const get = (path, headers = {}) =>
    fetch(`${origin}${path}`, { headers: { "x-test-client": "192.0.2.1", ...headers }, signal: timeout() });

  await check("a and b are two isolates sharing one Durable Object namespace", async () => {
    const basic = { authorization: `Basic ${btoa("Aladdin:open sesame")}`, "x-test-client": "192.0.2.9" };
    const [a, b] = await Promise.all([get("/", basic), get("/b/", basic)]);
    const [left, right] = [await a.json(), await b.json()];
    assert(a.status === 200 && b.status === 200, `statuses ${a.status} ${b.status}`);
    assert(left.isolate !== right.isolate, "the same isolate answered both");
  });

  await check("Digest: a request captured on a is refused on b (stale), across invocations", async () => {
    const first = await get("/digest");
    assert(first.status === 401, `challenge status ${first.status}`);
    const challenge = parseChallenges(first.headers.get("www-authenticate") ?? "").find((c) => c.scheme === "digest");
    const authorization = serializeCredentials(
      await computeDigestCredentials(challenge, {
        username: "Mufasa",
        password: "Circle of Life",
        method: "GET",
        uri: "/digest",
        nc: 1,
      }),
    );
    const accepted = await get("/digest", { authorization });
    assert(accepted.status === 200, `first use on a: ${accepted.status}`);
    await accepted.body?.cancel();
    const replayed = await get("/b/digest", { authorization });
    assert(replayed.status === 401, `replay on b: ${replayed.status}`);
    const stale = parseChallenges(replayed.headers.get("www-authenticate") ?? "").some(
      (c) => c.params.stale === "true",
    );
    assert(stale, "the refusal is not stale=true");
    await replayed.body?.cancel();
    const again = await get("/digest", { authorization });
    assert(again.status === 401, `replay on a: ${again.status}`);
    await again.body?.cancel();
  });

  await check("throttle: wrong passwords spread over a and b count as one (429 after 3)", async () => {
    const wrong = { authorization: `Basic ${btoa("Aladdin:wrong")}`, "x-test-client": "192.0.2.7" };
    const statuses = [];
    for (const path of ["/", "/b/", "/", "/b/"]) {
      const response = await get(path, wrong);
      statuses.push(response.status);
      await response.body?.cancel();
    }
    assert(statuses.join(",") === "401,401,401,429", `statuses ${statuses.join(",")}`);
  });
}
