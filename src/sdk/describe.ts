import type { CapabilityName, ToolAnnotations, ToolDescription, ToolExample } from './types.js';
import { CAPABILITIES } from './contract.js';

/**
 * How a tool is described to the host, shared by `describeTools`, the sandbox worker's
 * `describe()` and `vib3 ext build`: name, description and schemas as before, plus the
 * definition's title, MCP annotations and kit policy (`requires`, `approval`, `rateLimit`,
 * `examples`). Only well-formed values are passed on (a malformed field is left out, never
 * guessed); `defineExtension` reports malformed ones to the author.
 */

const HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;
const APPROVALS = new Set(['never', 'destructive', 'always']);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The well-formed annotations of `raw` (undefined when there are none). */
export function toolAnnotationsOf(raw: unknown): ToolAnnotations | undefined {
  if (!isObject(raw)) return undefined;
  const out: ToolAnnotations = {};
  if (typeof raw['title'] === 'string') out.title = raw['title'];
  for (const hint of HINTS) if (typeof raw[hint] === 'boolean') out[hint] = raw[hint] as boolean;
  return Object.keys(out).length ? out : undefined;
}

/** The examples of `raw` that have an object `input` (undefined when there are none). */
function examplesOf(raw: unknown): ToolExample[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out = raw.flatMap((e): ToolExample[] => {
    if (!isObject(e) || !isObject(e['input'])) return [];
    return [{ ...(typeof e['title'] === 'string' ? { title: e['title'] } : {}), input: e['input'], ...(e['output'] !== undefined ? { output: e['output'] } : {}) }];
  });
  return out.length ? out : undefined;
}

/** Describes one tool of a definition (see the module comment). */
export function describeTool(name: string, tool: unknown): ToolDescription {
  const t = isObject(tool) ? tool : {};
  const d: ToolDescription = { name, description: String(t['description'] ?? ''), inputSchema: t['inputSchema'] ?? { type: 'object' } };
  if (t['outputSchema'] !== undefined) d.outputSchema = t['outputSchema'];
  if (typeof t['title'] === 'string') d.title = t['title'];
  const annotations = toolAnnotationsOf(t['annotations']);
  if (annotations) d.annotations = annotations;
  if (Array.isArray(t['requires'])) d.requires = [...new Set(t['requires'].filter((c): c is CapabilityName => (CAPABILITIES as readonly unknown[]).includes(c)))];
  if (typeof t['approval'] === 'string' && APPROVALS.has(t['approval'])) d.approval = t['approval'] as ToolDescription['approval'];
  const perMinute = isObject(t['rateLimit']) ? t['rateLimit']['perMinute'] : undefined;
  if (typeof perMinute === 'number' && Number.isInteger(perMinute) && perMinute >= 1) d.rateLimit = { perMinute };
  const examples = examplesOf(t['examples']);
  if (examples) d.examples = examples;
  return d;
}

/** Describes every tool of a definition's `tools` (in their order). */
export function describeToolsOf(tools: unknown): ToolDescription[] {
  return isObject(tools) ? Object.entries(tools).map(([name, t]) => describeTool(name, t)) : [];
}
