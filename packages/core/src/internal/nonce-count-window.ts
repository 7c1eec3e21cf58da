/**
 * The nonce-count window every store shares: the shared stores through
 * `@httpauth/core/store-steps`, the in-memory store directly.
 *
 * @module
 */

/** How many counts below the highest the window remembers. */
export const NONCE_COUNT_WINDOW = 32;

/**
 * Records `nc` in the window of `highest` and `seen` (bit `i`: count
 * `highest - 1 - i` was seen): the new window, or `undefined` when `nc` was
 * seen or lies below the window.
 */
export function slideNonceCountWindow(
  highest: number,
  seen: number,
  nc: number,
): { highest: number; seen: number } | undefined {
  if (nc > highest) {
    const shift = nc - highest;
    const moved =
      shift > NONCE_COUNT_WINDOW
        ? 0
        : shift === NONCE_COUNT_WINDOW
          ? 0x8000_0000
          : ((seen << shift) | (1 << (shift - 1))) >>> 0;
    return { highest: nc, seen: moved };
  }
  const distance = highest - nc;
  if (distance === 0 || distance > NONCE_COUNT_WINDOW) return undefined;
  const bit = 2 ** (distance - 1);
  if (Math.floor(seen / bit) % 2 === 1) return undefined;
  return { highest, seen: seen + bit };
}
