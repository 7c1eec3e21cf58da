/**
 * Writing core's header lines onto a `node:http` response.
 *
 * @module
 */

import type { ServerResponse } from "node:http";
import type { HeaderLine } from "@httpauth/core";

/**
 * Sets `lines` on `response`, one field line per entry: lines that share a
 * name (compared case-insensitively) are set together as an array, which
 * `node:http` writes as separate field lines rather than joining them. A
 * header the response already has under one of these names is replaced.
 *
 * @param response the response, before its head is sent
 * @param lines name and value pairs, in order
 */
export function setHeaderLines(response: ServerResponse, lines: readonly HeaderLine[]): void {
  if (lines.length === 0) return;
  if (namesDiffer(lines)) {
    // The usual case (a challenge and Content-Type): no grouping needed, no maps built.
    for (const [name, value] of lines) response.setHeader(name, value);
    return;
  }
  for (const [name, value] of groupHeaderLines(lines)) response.setHeader(name, value);
}

/** Whether no two of a few lines share a name (case-insensitively); `false` for many lines, which are grouped. */
function namesDiffer(lines: readonly HeaderLine[]): boolean {
  if (lines.length > 8) return false;
  for (let index = 1; index < lines.length; index++) {
    const name = lines[index]![0];
    for (let before = 0; before < index; before++) {
      const other = lines[before]![0];
      if (name.length === other.length && name.toLowerCase() === other.toLowerCase()) return false;
    }
  }
  return true;
}

/**
 * Groups header lines by name (case-insensitively, first spelling kept), in
 * order: one value, or an array that `node:http` writes as one line each.
 */
export function groupHeaderLines(lines: readonly HeaderLine[]): Map<string, string | string[]> {
  const groups = new Map<string, [name: string, values: string[]]>();
  for (const [name, value] of lines) {
    const key = name.toLowerCase();
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [name, [value]]);
    else group[1].push(value);
  }
  const grouped = new Map<string, string | string[]>();
  for (const [name, values] of groups.values()) grouped.set(name, values.length === 1 ? values[0]! : values);
  return grouped;
}
