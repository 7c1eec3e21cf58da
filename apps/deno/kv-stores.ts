// DENO_KV_PATH → the Deno app's throttle counts, Digest nonce counts and one-time values in that
// Deno KV database (a file; several app processes on one file share them), through
// @httpauth/deno's createKvStore. Unset: undefined, and the app keeps them in memory.

import { createKvStore, type KvStore } from "@httpauth/deno";

/** The stores the shared demo takes (see `createAuthenticators` in apps/shared/demo.mjs). */
export interface KvStores {
  throttle: KvStore;
  nonceCounts: KvStore;
  replay: KvStore;
}

/**
 * Opens the KV database at `path` when it is set.
 * @param path DENO_KV_PATH.
 * @returns The stores, or undefined when `path` is unset or empty.
 */
export async function openKvStores(path: string | undefined): Promise<KvStores | undefined> {
  if (!path) return undefined;
  const store = createKvStore(await Deno.openKv(path), { prefix: "httpauth-demo" });
  return { throttle: store, nonceCounts: store, replay: store };
}
