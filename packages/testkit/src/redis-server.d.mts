/** A running redis-server started by {@linkcode startRedisServer}. */
export interface RedisServer {
  port: number;
  /** `redis://127.0.0.1:<port>` */
  url: string;
  /** Sends one inline command (`SCRIPT FLUSH`, `FLUSHALL`) over a fresh connection; resolves to the raw reply. */
  command(command: string): Promise<string>;
  /** Ends the server at once (SIGKILL). */
  kill(): Promise<void>;
  /** Stops the server (SIGTERM). */
  stop(): Promise<void>;
  /** Stops it and starts it again on the same port, empty. */
  restart(): Promise<void>;
}
/** The path of redis-server, installing Debian's package (apt-get) when it is missing. */
export function ensureRedisServer(): string;
/** A loopback port that was free a moment ago. */
export function freePort(): Promise<number>;
/** Sends one inline command to 127.0.0.1:port over a fresh connection. */
export function redisCommand(port: number, command: string, timeoutMs?: number): Promise<string>;
/** Starts redis-server on a free loopback port without persistence and waits until it answers PING. */
export function startRedisServer(): Promise<RedisServer>;
