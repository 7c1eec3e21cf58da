// basicAuth's verified-credentials cache at the HTTP level (issue 18): a
// Basic-protected GET / whose user is stored as a scrypt hash (@httpauth/node
// hashPassword, default parameters), served by @httpauth/node protect(), with
// and without `cache: { ttl: 30 }`, driven by autocannon over loopback.
//   node benchmarks/basic-cache.mjs [--duration SECONDS] [--connections N]
// Prints one line per configuration (req/s, p50 and p99 latency); nothing is
// written. Run it alone: each scrypt verification takes a core for tens of ms.

import { createServer } from "node:http";
import autocannon from "autocannon";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const duration = option("--duration", 5);
const connections = option("--connections", 20);

const { basicAuth, createAuthenticator } = await import("@httpauth/core");
const { hashPassword, protect, verifyPassword } = await import("@httpauth/node");

const users = { bench: await hashPassword("s3cret-password") };
const authorization = `Basic ${btoa("bench:s3cret-password")}`;

async function measure(label, cache) {
  const authenticator = createAuthenticator({
    schemes: [basicAuth({ realm: "bench", users, verifyPassword, ...(cache === undefined ? {} : { cache }) })],
  });
  const server = createServer(protect((_request, response) => response.end("ok"), authenticator));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  // One request first, as a client that has just logged in: the cache (when on) then holds the credentials.
  await fetch(`http://127.0.0.1:${port}/`, { headers: { authorization } }).then((response) => response.text());
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/`,
    headers: { authorization },
    connections,
    duration,
  });
  server.close();
  const ok = result["2xx"];
  console.log(
    `${label.padEnd(28)} ${result.requests.average.toFixed(1).padStart(9)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  2xx ${ok}  non-2xx ${result.non2xx}`,
  );
}

console.log(`node ${process.version}, ${connections} connections, ${duration} s each`);
await measure("scrypt, no cache", undefined);
await measure("scrypt, cache { ttl: 30 }", { ttl: 30 });
