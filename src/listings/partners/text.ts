/**
 * Length and trimming of listing copy in Unicode code points (what partners count), cutting where
 * a reader would: after a sentence near the limit, else at a word boundary with an ellipsis.
 * Browser-safe.
 */

/** The ellipsis appended to copy cut inside a sentence. */
export const ELLIPSIS = '\u2026';

/** Length in code points (an emoji or an astral character counts once). */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const SPACE = /\s/u;
const SENTENCE_END = /[.!?]/u;

/**
 * `text` cut to at most `max` code points. Unchanged when it fits. Otherwise, when a sentence ends
 * within the last fifth of the limit (as the WordPress.org readme parser prefers) the text ends
 * there; else it is cut at the last word boundary (if one is in the second half) and ends with "…".
 */
export function trimText(text: string, max: number): string {
  const cps = Array.from(text);
  if (cps.length <= max) return text;
  if (max < 2) return cps.slice(0, max).join('');
  // A sentence end (followed by a space, or by the end of what fits) past 80% of the limit.
  for (let i = max - 1; i + 1 > 0.8 * max; i--) {
    if (SENTENCE_END.test(cps[i]!) && SPACE.test(cps[i + 1] ?? ' ')) return cps.slice(0, i + 1).join('');
  }
  let keep = cps.slice(0, max - 1);
  if (!SPACE.test(cps[max - 1]!)) {
    let space = keep.length - 1;
    while (space >= 0 && !SPACE.test(keep[space]!)) space--;
    if (space >= Math.floor(max / 2)) keep = keep.slice(0, space);
  }
  return keep.join('').replace(/[\s,;:(\-\u2013\u2014]+$/u, '') + ELLIPSIS;
}
