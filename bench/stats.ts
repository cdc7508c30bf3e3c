/** The bench's one statistics helper: every percentile, median and mean it prints comes from here. */

/**
 * The q-quantile (0..1) of unsorted samples, interpolated between the two nearest ranks (so the
 * median of an even count is the mean of the middle two); NaN when there are none.
 */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const at = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
  const low = sorted[Math.floor(at)] ?? Number.NaN;
  const high = sorted[Math.ceil(at)] ?? Number.NaN;
  return low + (high - low) * (at - Math.floor(at));
}

export const median = (samples: readonly number[]): number => quantile(samples, 0.5);

export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

export const mean = (v: readonly number[]): number => (v.length ? sum(v) / v.length : NaN);
