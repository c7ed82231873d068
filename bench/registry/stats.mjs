// Latency statistics shared by the registry and install benchmarks (bench/registry.mjs,
// bench/install.mjs): nearest-rank percentiles, rounded to 0.01 ms.

/** The q-quantile (0..1) of an ascending array, nearest rank; null when empty. */
export const pct = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] : null);

/** { n, p50, p95, p99, max, mean } of a list of numbers. */
export function summary(values) {
  const s = [...values].sort((a, b) => a - b);
  const round = (x) => (x === null ? null : Math.round(x * 100) / 100);
  return { n: s.length, p50: round(pct(s, 0.5)), p95: round(pct(s, 0.95)), p99: round(pct(s, 0.99)), max: round(s.at(-1) ?? null), mean: round(s.length ? s.reduce((a, b) => a + b, 0) / s.length : null) };
}
