/**
 * Tool-call arguments as a model sends them: JSON text (possibly empty, possibly malformed) or,
 * from some providers, an object already.
 */

/** The arguments as an object, `{}` for empty text, or undefined when they are not one JSON object. */
export function parseArguments(raw: unknown): Record<string, unknown> | undefined {
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  if (typeof raw !== 'string') return undefined;
  if (raw.trim() === '') return {};
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
