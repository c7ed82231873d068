/**
 * Explicit-bucket histograms for the dashboard: what a cumulative series added inside a time
 * window, merging data points into one set of buckets (counts summed per upper bound), and
 * percentiles by linear interpolation inside the bucket the rank falls in (as Prometheus'
 * `histogram_quantile`: the first bucket starts at 0, a rank in the overflow bucket answers the
 * highest finite bound).
 */

/** A bucket of a merged histogram: values ≤ `le` (and above the previous bucket's `le`); `le` is Infinity for the overflow bucket. */
export interface Bucket {
  le: number;
  count: number;
}

/** The bucket part of an OTLP histogram data point. */
export interface HistogramCounts {
  /** `explicitBounds.length + 1` counts; the last one is the overflow bucket. */
  bucketCounts: number[];
  explicitBounds: number[];
}

/**
 * Merges data points: every point's buckets summed by their upper bound (the overflow buckets
 * together under Infinity). Points with the same bounds merge exactly; with different bounds the
 * result's buckets are the union of bounds, each counting the values whose own bucket ends there.
 */
export function mergeBuckets(points: Iterable<HistogramCounts>): Bucket[] {
  const byBound = new Map<number, number>();
  for (const p of points) {
    p.bucketCounts.forEach((count, i) => {
      const le = i < p.explicitBounds.length ? p.explicitBounds[i]! : Number.POSITIVE_INFINITY;
      byBound.set(le, (byBound.get(le) ?? 0) + count);
    });
  }
  return [...byBound].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

/**
 * The `p` quantile (0…1) of merged buckets by linear interpolation inside the bucket holding the
 * rank `p × total`; null without data. The first bucket's lower edge is 0 (unless its bound is
 * ≤ 0: then the bound itself); a rank in the overflow bucket answers the highest finite bound.
 */
export function bucketPercentile(buckets: readonly Bucket[], p: number): number | null {
  const total = buckets.reduce((a, b) => a + b.count, 0);
  if (total <= 0 || !(p >= 0 && p <= 1)) return null;
  const rank = p * total;
  let below = 0;
  for (let i = 0; i < buckets.length; i++) {
    const { le, count } = buckets[i]!;
    if (count > 0 && below + count >= rank) {
      if (le === Number.POSITIVE_INFINITY) return i > 0 ? buckets[i - 1]!.le : null;
      if (i === 0 && le <= 0) return le;
      const lower = i === 0 ? 0 : buckets[i - 1]!.le;
      return lower + ((le - lower) * (rank - below)) / count;
    }
    below += count;
  }
  return null;
}

/**
 * What a cumulative histogram series added after `baseline` (its latest point before the window):
 * the bucket-wise difference; the whole of `latest` when there is no baseline, the bounds changed,
 * or a count went down (the series restarted).
 */
export function histogramIncrease(latest: HistogramCounts, baseline: HistogramCounts | undefined): HistogramCounts {
  if (!baseline || baseline.explicitBounds.length !== latest.explicitBounds.length || baseline.explicitBounds.some((b, i) => b !== latest.explicitBounds[i])) return latest;
  const diff = latest.bucketCounts.map((c, i) => c - (baseline.bucketCounts[i] ?? 0));
  return diff.some((d) => d < 0) ? latest : { bucketCounts: diff, explicitBounds: latest.explicitBounds };
}

/** What a cumulative sum series added after `baseline`: the difference, or all of `latest` after a restart (or without a baseline). */
export function sumIncrease(latest: number, baseline: number | undefined): number {
  return baseline === undefined || latest < baseline ? latest : latest - baseline;
}
