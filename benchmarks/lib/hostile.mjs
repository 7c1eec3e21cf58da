// Hostile-input scaling for the RFC 9110 §11 grammar: ns per byte at 1 KiB,
// 64 KiB and 1 MiB for input shapes that make naive parsers go quadratic.
// Flat ns/byte means linear time. Runs unchanged on Node, Deno and Bun.

import { parseAuthParams, parseChallenges, parseCredentials } from "@httpauth/core";

export const HOSTILE_SIZES = [1024, 64 * 1024, 1024 * 1024];

/** Fills `size` characters with `head`, then `unit` repeated, then `tail`. */
function fill(size, unit, head = "", tail = "") {
  const times = Math.max(0, Math.floor((size - head.length - tail.length) / unit.length));
  return head + unit.repeat(times) + tail;
}

export const HOSTILE_SHAPES = [
  {
    name: 'runs of a=",',
    parse: parseChallenges,
    make: (size) => fill(size, 'a=",', "Basic "),
    // Recorded with the row: its ns per byte falls towards 0 as the input grows.
    note: "rejected at the second parameter (a repeats): the time per call does not grow with the input, so ns per byte falls towards 0",
  },
  {
    name: 'runs of aN=", (distinct names)',
    parse: parseChallenges,
    make: (size) => {
      let text = "Basic ";
      for (let index = 0; text.length < size - 12; index++) text += `a${index}=",`;
      return text;
    },
  },
  { name: "unterminated quote", parse: parseChallenges, make: (size) => fill(size, "x", 'Basic realm="') },
  { name: "backslash escapes", parse: parseChallenges, make: (size) => fill(size, "\\\\", 'Basic realm="', '"') },
  { name: "empty list elements", parse: parseChallenges, make: (size) => fill(size, " ,", 'Basic realm="a"') },
  { name: "many challenges", parse: parseChallenges, make: (size) => fill(size, "Newauth, ") },
  {
    name: "thousands of parameters",
    parse: parseCredentials,
    make: (size) => {
      let text = "Digest p0=v";
      for (let index = 1; text.length < size - 16; index++) text += `, p${index}=v`;
      return text;
    },
  },
  { name: "long = padding", parse: parseCredentials, make: (size) => fill(size, "=", "Basic QQ") },
  { name: "commas in auth-params", parse: parseAuthParams, make: (size) => fill(size, ",", "a=b") },
];

/**
 * Median ns per call of `parse(input)`, over batches for about `budget` ms
 * and at least nine of them. With a collector (`gc`), the heap is emptied
 * once before the warm-up, so that the garbage of the size measured before
 * does not land on this one; the batches then run as a server would, each
 * paying for the garbage it makes.
 */
function measureShape(parse, input, budget, gc) {
  const options = { maxLength: input.length };
  const run = () => {
    try {
      parse(input, options);
    } catch {
      // Hostile input may be rejected; what is measured is the time to decide.
    }
  };
  gc?.();
  for (let index = 0; index < 5; index++) run();
  const perBatch = Math.max(1, Math.round((256 * 1024) / input.length));
  const samples = [];
  const deadline = performance.now() + budget;
  while (samples.length < 9 || performance.now() < deadline) {
    const start = performance.now();
    for (let index = 0; index < perBatch; index++) run();
    samples.push(((performance.now() - start) * 1e6) / perBatch);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/**
 * One row per shape: `{ shape, "1 KiB", "64 KiB", "1024 KiB", "1 MiB ÷ 1 KiB" }`
 * in ns per byte, with `nsPerCall` (the same sizes, ns per call) and the
 * shape's `note` when it has one; `budget` is the time per shape and size, in
 * ms; `gc`, when given, empties the heap before each shape and size.
 */
export function measureHostile(budget = 100, gc = undefined) {
  const rows = [];
  for (const shape of HOSTILE_SHAPES) {
    const row = { shape: shape.name };
    const perCall = {};
    for (const size of HOSTILE_SIZES) {
      const input = shape.make(size);
      const nanoseconds = measureShape(shape.parse, input, budget, gc);
      row[`${size / 1024} KiB`] = Number((nanoseconds / input.length).toFixed(2));
      perCall[`${size / 1024} KiB`] = Math.round(nanoseconds);
    }
    const values = HOSTILE_SIZES.map((size) => row[`${size / 1024} KiB`]);
    row["1 MiB ÷ 1 KiB"] = values[0] === 0 ? 0 : Number((values[2] / values[0]).toFixed(2));
    row.nsPerCall = perCall;
    if (shape.note !== undefined) row.note = shape.note;
    rows.push(row);
  }
  return rows;
}

/** The rows as a console table shows them: ns per byte only (nsPerCall and the note stay in the JSON). */
export function hostileTable(rows) {
  return rows.map(({ nsPerCall, note, ...columns }) => columns);
}
