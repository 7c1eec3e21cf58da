/**
 * The user's Redis client, through one function: `send(command, args)`.
 * Detected by shape, never wrapped by another library.
 *
 * @module
 */

/** node-redis v4, v5 and later: `client.sendCommand(["EVALSHA", …])`. */
export interface NodeRedisClient {
  /** Sends one command, its name first, and resolves to the reply. */
  sendCommand(args: string[]): Promise<unknown>;
}

/** ioredis and iovalkey (also their Cluster clients): `client.call("EVALSHA", …)`. */
export interface IORedisClient {
  /** Sends one command and resolves to the reply. */
  call(command: string, ...args: string[]): Promise<unknown>;
}

/** Bun's built-in `RedisClient`, or any object with the same method: `client.send("EVALSHA", […])`. */
export interface SendClient {
  /** Sends one command and resolves to the reply. */
  send(command: string, args: string[]): Promise<unknown>;
}

/** What {@linkcode createRedisStore} accepts: a client you already have, of any of these shapes. */
export type RedisClientLike = NodeRedisClient | IORedisClient | SendClient;

/** One command to the server, resolving to its reply. */
export type Send = (command: string, args: string[]) => Promise<unknown>;

/**
 * The `send` of a client: ioredis and iovalkey by `call` (checked first: they
 * also have a `sendCommand` that takes a command object), node-redis by
 * `sendCommand`, Bun's `RedisClient` and plain objects by `send`.
 *
 * @throws {TypeError} If `client` has none of these methods.
 */
export function toSend(client: unknown): Send {
  if (typeof client === "object" && client !== null) {
    const methods = client as Partial<NodeRedisClient & IORedisClient & SendClient>;
    if (typeof methods.call === "function") {
      const call = methods.call;
      return (command, args) => call.call(client, command, ...args);
    }
    if (typeof methods.sendCommand === "function") {
      const sendCommand = methods.sendCommand;
      return (command, args) => sendCommand.call(client, [command, ...args]);
    }
    if (typeof methods.send === "function") {
      const send = methods.send;
      return (command, args) => send.call(client, command, args);
    }
  }
  throw new TypeError(
    "createRedisStore(): pass a connected Redis client: node-redis (sendCommand), ioredis or iovalkey (call), Bun's RedisClient (send), or an object with send(command, args)",
  );
}
