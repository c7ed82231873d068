import { toolSchemaChecks, type ToolSchemaCheck } from '../../sdk/tool-schema.js';
import type { ToolDescription, ToolResult } from '../../sdk/types.js';
import { ExtensionError } from './errors.js';
import type { SignedToolPolicy } from './package-intake.js';

/**
 * The host's checks around one extension's tools: the tools it described (only well-formed
 * entries), their input checked against `inputSchema` before the worker sees it, and a result's
 * shape and `structuredContent` against `outputSchema` (when declared) before the caller sees it.
 */
export class ToolGate {
  readonly tools: readonly ToolDescription[];
  private readonly checks: (tool: string, which: 'input' | 'output') => ToolSchemaCheck | undefined;

  /**
   * @param described the tools as the worker described them when it started
   * @param policies the signed tool pack's policies by tool name: they replace whatever policy
   *   fields (title, annotations, approval, requires, rate limit) the running worker claims
   */
  constructor(described: unknown, policies: ReadonlyMap<string, SignedToolPolicy> = new Map()) {
    const valid = Array.isArray(described) ? described.filter((t): t is ToolDescription => typeof (t as ToolDescription | null)?.name === 'string') : [];
    this.tools = valid.map((t) => {
      const { title: _t, annotations: _a, approval: _p, requires: _r, rateLimit: _l, ...own } = t as ToolDescription & Partial<SignedToolPolicy>;
      return { ...own, ...(policies.get(t.name) ?? {}) } as ToolDescription;
    });
    const byName = new Map(this.tools.map((t) => [t.name, t]));
    this.checks = toolSchemaChecks((tool, which) => (which === 'input' ? byName.get(tool)?.inputSchema : byName.get(tool)?.outputSchema));
  }

  /** Throws UNKNOWN_TOOL or INVALID_TOOL_INPUT; returns when the worker may see the input. */
  checkInput(id: string, name: string, input: unknown): void {
    if (!this.tools.some((t) => t.name === name)) throw new ExtensionError('UNKNOWN_TOOL', `${id} has no tool "${name}".`, `Available: ${this.tools.map((t) => `${id}.${t.name}`).join(', ') || 'none'}.`, id);
    const bad = typeof input === 'object' && input !== null && !Array.isArray(input) ? this.checks(name, 'input')?.check(input) : { path: '/', message: 'the input must be an object' };
    if (bad) throw new ExtensionError('INVALID_TOOL_INPUT', `Input for ${id}.${name} is invalid at ${bad.path}: ${bad.message}.`, 'Send input matching the tool inputSchema (see host.tools()).', id);
  }

  /** Throws INVALID_TOOL_OUTPUT unless `result` is a tool result matching the tool's outputSchema (error results pass). */
  checkOutput(id: string, name: string, result: ToolResult): ToolResult {
    if (!result || typeof result !== 'object' || !Array.isArray(result.content)) throw new ExtensionError('INVALID_TOOL_OUTPUT', `${id}.${name} returned something that is not a tool result.`, 'A handler returns { content: [{ type: "text", text }], structuredContent? }.', id);
    const wrong = result.isError ? undefined : this.checks(name, 'output')?.check(result.structuredContent);
    if (wrong) throw new ExtensionError('INVALID_TOOL_OUTPUT', `${id}.${name} returned structuredContent that does not match its outputSchema at ${wrong.path}: ${wrong.message}.`, 'Report it to the extension publisher; the result was withheld.', id);
    return result;
  }
}

/**
 * Splits a qualified tool name: `<id>.<tool>` by the longest installed id it starts with;
 * the old `<id>/<tool>` form is still read (with one console warning per name) until the next
 * minor version.
 */
export function splitToolName(qualified: string, installed: Iterable<string>, warned: Set<string>): { id: string; name: string } {
  const slash = qualified.lastIndexOf('/');
  if (slash > 0) {
    if (!warned.has(qualified)) {
      warned.add(qualified);
      console.warn(`[vib3] Tool name "${qualified}" uses the old "/" form; call "${qualified.slice(0, slash)}.${qualified.slice(slash + 1)}" instead (the old form is removed in the next minor version).`);
    }
    return { id: qualified.slice(0, slash), name: qualified.slice(slash + 1) };
  }
  const id = [...installed].filter((k) => qualified.startsWith(`${k}.`)).sort((a, b) => b.length - a.length)[0];
  if (id) return { id, name: qualified.slice(id.length + 1) };
  const dot = qualified.lastIndexOf('.');
  return { id: qualified.slice(0, Math.max(dot, 0)), name: qualified.slice(dot + 1) };
}
