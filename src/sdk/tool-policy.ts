import { CAPABILITIES } from './contract.js';

/**
 * Checks of a tool definition's optional title, annotations and kit policy (`requires`,
 * `approval`, `rateLimit`, `examples`), the same rules as the tool-pack schema
 * (src/agent/toolpack/schema/toolpack.schema.json), so `defineExtension` reports a mistake in the
 * author's tests instead of `vib3 ext build` later.
 */

const HINTS = new Set(['title', 'readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']);
const APPROVALS = ['never', 'destructive', 'always'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first problem of a tool's title, annotations or policy, or undefined when they are well-formed. */
export function toolPolicyProblem(name: string, tool: Record<string, unknown> | object, capabilities: readonly string[]): { message: string; suggestion: string } | undefined {
  const t = tool as Record<string, unknown>;
  const bad = (message: string, suggestion: string) => ({ message: `Tool "${name}" ${message}`, suggestion });
  const title = t['title'];
  if (title !== undefined && (typeof title !== 'string' || title.length < 1 || title.length > 100)) return bad('has a title that is not a string of 1-100 characters.', "Use a short display name, e.g. title: 'Show a duoprism'.");
  const annotations = t['annotations'];
  if (annotations !== undefined) {
    if (!isObject(annotations)) return bad('has annotations that are not an object.', 'Use annotations: { readOnlyHint: true } (MCP tool annotations).');
    for (const [key, value] of Object.entries(annotations)) {
      if (!HINTS.has(key)) return bad(`has an unknown annotation "${key}".`, 'MCP annotations are title, readOnlyHint, destructiveHint, idempotentHint and openWorldHint.');
      if (key === 'title' ? typeof value !== 'string' : typeof value !== 'boolean') return bad(`has annotations.${key} of the wrong type.`, key === 'title' ? 'Use a string.' : 'Use true or false.');
    }
  }
  const requires = t['requires'];
  if (requires !== undefined) {
    if (!Array.isArray(requires)) return bad('has requires that is not an array.', "List capability names, e.g. requires: ['rendering'].");
    for (const cap of requires) {
      if (!(CAPABILITIES as readonly unknown[]).includes(cap)) return bad(`requires the unknown capability "${String(cap)}".`, `Use any of: ${CAPABILITIES.join(', ')}.`);
      if (!capabilities.includes(cap as string)) return bad(`requires "${String(cap)}", which capabilities does not list.`, `Add '${String(cap)}' to capabilities (and to extension.json), or remove it from requires.`);
    }
  }
  if (t['approval'] !== undefined && !APPROVALS.includes(t['approval'] as string)) return bad(`has approval ${JSON.stringify(t['approval'])}.`, `Use one of: ${APPROVALS.join(', ')}.`);
  const rate = t['rateLimit'];
  if (rate !== undefined) {
    const perMinute = isObject(rate) ? rate['perMinute'] : undefined;
    if (!isObject(rate) || Object.keys(rate).some((k) => k !== 'perMinute') || !Number.isInteger(perMinute) || (perMinute as number) < 1 || (perMinute as number) > 10000) return bad('has a rateLimit that is not { perMinute: 1-10000 }.', 'Use rateLimit: { perMinute: 30 }, or leave it out.');
  }
  const examples = t['examples'];
  if (examples !== undefined) {
    if (!Array.isArray(examples)) return bad('has examples that is not an array.', "Use examples: [{ title: 'A hexagon', input: { sides: 6 } }].");
    const i = examples.findIndex((e) => !isObject(e) || !isObject(e['input']) || (e['title'] !== undefined && typeof e['title'] !== 'string') || Object.keys(e).some((k) => !['title', 'input', 'output'].includes(k)));
    if (i >= 0) return bad(`has a malformed example (examples[${i}]).`, 'Each example is { title?, input: { ...arguments }, output? }.');
  }
  return undefined;
}
