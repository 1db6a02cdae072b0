/** Wording shared by the decoders' warnings, so every format says the same thing the same way. */

/** "4.26 s"; milliseconds below a hundredth of a second, so a small loss is not shown as 0.00 s. */
export function formatSeconds(s: number): string {
  return s >= 0.01 || s <= 0 ? `${Math.max(0, s).toFixed(2)} s` : `${(s * 1000).toFixed(2)} ms`;
}

/** "header promises 12.00 s but the file holds 8.53 s (3.47 s missing)": the start of a short-file warning. */
export function shortfall(promisedSeconds: number, heldSeconds: number): string {
  return `header promises ${formatSeconds(promisedSeconds)} but the file holds ${formatSeconds(heldSeconds)} (${formatSeconds(promisedSeconds - heldSeconds)} missing)`;
}
