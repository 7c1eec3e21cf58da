// Timing with mitata, and allocation counting with the runtime's heap counter.

import { do_not_optimize, measure } from "mitata";

/**
 * Wraps `run` so that its result is consumed (the JIT cannot drop the call),
 * awaiting it when `run` is asynchronous.
 */
export function consume(run, isAsync) {
  return isAsync ? async () => do_not_optimize(await run()) : () => do_not_optimize(run());
}

/**
 * Times `call` with mitata: batches of calls until `minTime` ms of CPU time,
 * at least 12 samples. Each sample is the mean of one batch (4096 calls for
 * fast functions), so `p99` is the 99th percentile of batch means.
 */
export async function time(call, { minTime, gc }) {
  const stats = await measure(call, { min_cpu_time: minTime * 1e6, gc: gc ?? false });
  return {
    median: stats.p50,
    p99: stats.p99,
    min: stats.min,
    mean: stats.avg,
    samples: stats.samples.length,
    calls: stats.ticks,
  };
}

let sink;

/**
 * Bytes allocated per call: the heap counter read around rounds of 256
 * calls; rounds during which a collection ran (the counter went down) are
 * dropped, and the median of the rest is returned. `undefined` when the
 * runtime cannot tell.
 */
export async function bytesPerCall(run, isAsync, heap) {
  if (heap === undefined) return undefined;
  const calls = 256;
  const rounds = 31;
  const perCall = [];
  for (let round = 0; round < rounds; round++) {
    const before = heap();
    if (isAsync) {
      for (let index = 0; index < calls; index++) sink = await run();
    } else {
      for (let index = 0; index < calls; index++) sink = run();
    }
    const after = heap();
    if (after >= before) perCall.push((after - before) / calls);
  }
  do_not_optimize(sink);
  if (perCall.length < 5) return undefined;
  perCall.sort((a, b) => a - b);
  return Math.round(perCall[Math.floor(perCall.length / 2)]);
}
