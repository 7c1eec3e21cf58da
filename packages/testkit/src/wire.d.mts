/** A field line of a raw response: its name as sent, and its value without surrounding white space. */
export type FieldLine = [name: string, value: string];

/** A raw response's header section. */
export interface RawHead {
  /** `HTTP/1.1 401 Unauthorized` */
  statusLine: string;
  status: number;
  /** Every field line, in wire order. */
  lines: FieldLine[];
}

/** Options of {@linkcode rawRequest}. */
export interface RawRequestOptions {
  /** The server's address; 127.0.0.1 by default. */
  host?: string;
  /** The local address to connect from, such as 127.0.0.2. */
  localAddress?: string;
  /** How long to wait for the server to close; 30 s by default. */
  timeoutMs?: number;
}

/** Options of {@linkcode rawGet}. */
export interface RawGetOptions {
  /** The `Host` header; 127.0.0.1 by default. */
  host?: string;
  /** More header lines, in order. */
  headers?: Record<string, string>;
}

export function rawGet(path: string, options?: RawGetOptions): string;
export function rawRequest(port: number, head: string, options?: RawRequestOptions): Promise<string>;
export function parseHead(raw: string): RawHead;
export function linesNamed(lines: readonly FieldLine[], name: string): string[];
