/**
 * Exports of a validated tool pack (browser-safe): the MCP `tools/list` result, with Tool objects
 * exactly as MCP defines them (the kit's policy stays out), and Markdown docs.
 */
import type { Vib3ToolPack, ToolPackTool, ToolAnnotations, ToolObjectSchema } from './toolpack.generated.js';
import { normalizeToolName } from './names.js';

/** An MCP `Tool` object. */
export interface McpTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: ToolObjectSchema;
  outputSchema?: ToolObjectSchema;
  annotations?: ToolAnnotations;
  _meta?: Record<string, unknown>;
}

/** The result of MCP `tools/list`. */
export interface McpToolsList {
  tools: McpTool[];
}

/** Options of the exports. */
export interface ToolPackExportOptions {
  /** The extension id, to map legacy `<id>/<tool>` names to `<id>.<tool>` (any single `/` otherwise). */
  extensionId?: string;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * The MCP `tools/list` result for a pack: name (dotted, never `/`), title, description,
 * inputSchema and outputSchema verbatim, annotations (hints only) and _meta. No kit policy fields.
 */
export function toMcpToolsList(pack: Vib3ToolPack, options: ToolPackExportOptions = {}): McpToolsList {
  return { tools: pack.tools.map((t) => toMcpTool(t, options.extensionId)) };
}

function toMcpTool(t: ToolPackTool, extId: string | undefined): McpTool {
  const tool: McpTool = {
    name: normalizeToolName(extId, t.name),
    ...(t.title !== undefined ? { title: t.title } : {}),
    description: t.description,
    inputSchema: clone(t.inputSchema),
  };
  if (t.outputSchema !== undefined) tool.outputSchema = clone(t.outputSchema);
  if (t.annotations !== undefined) tool.annotations = clone(t.annotations);
  if (t._meta !== undefined) tool._meta = clone(t._meta) as Record<string, unknown>;
  return tool;
}

/** Markdown docs of a pack: per tool its description, policy, input/output summary and examples. */
export function toMarkdown(pack: Vib3ToolPack, options: ToolPackExportOptions = {}): string {
  const lines = [`# ${pack.title}`, '', pack.description, '', `- Pack: \`${pack.id}\` ${pack.version}`, `- Kit: \`${pack.compatibility.kit}\``];
  if (pack.compatibility.mcpProtocolVersions) lines.push(`- MCP protocol versions: ${pack.compatibility.mcpProtocolVersions.join(', ')}`);
  if (pack.toolsets?.length) {
    lines.push('', '## Toolsets', '');
    for (const s of pack.toolsets) lines.push(`- **${s.title ?? s.name}** (\`${s.name}\`): ${s.tools.map((n) => `\`${normalizeToolName(options.extensionId, n)}\``).join(', ')}`);
  }
  lines.push('', '## Tools');
  for (const t of pack.tools) lines.push('', ...toolSection(t, options.extensionId));
  return `${lines.join('\n')}\n`;
}

function toolSection(t: ToolPackTool, extId: string | undefined): string[] {
  const name = normalizeToolName(extId, t.name);
  const out = [`### \`${name}\`${t.title ? ` — ${t.title}` : ''}`, '', t.description, '', '**Policy**', ''];
  out.push(`- Approval: ${t.approval}`, `- Requires: ${t.requires.length ? t.requires.map((c) => `\`${c}\``).join(', ') : 'nothing'}`);
  if (t.rateLimit) out.push(`- Rate limit: ${t.rateLimit.perMinute} calls per minute`);
  const hints = Object.entries(t.annotations ?? {}).filter(([k]) => k !== 'title');
  if (hints.length) out.push(`- Hints (not permissions): ${hints.map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
  out.push('', '**Input**', '', ...schemaSummary(t.inputSchema));
  if (t.outputSchema) out.push('', '**Output**', '', ...schemaSummary(t.outputSchema));
  for (const [i, ex] of (t.examples ?? []).entries()) {
    out.push('', `**Example${ex.title ? `: ${ex.title}` : ` ${i + 1}`}**`, '', '```json', JSON.stringify(ex.input, null, 2), '```');
    if (ex.output !== undefined) out.push('', 'Returns:', '', '```json', JSON.stringify(ex.output, null, 2), '```');
  }
  return out;
}

function schemaSummary(s: ToolObjectSchema): string[] {
  const props = Object.entries(s.properties ?? {});
  if (!props.length) return ['No parameters.'];
  const required = new Set(s.required ?? []);
  return props.map(([key, raw]) => {
    const p = (typeof raw === 'object' && raw ? raw : {}) as Record<string, unknown>;
    const type = Array.isArray(p['enum']) ? (p['enum'] as unknown[]).map((v) => JSON.stringify(v)).join(' | ') : Array.isArray(p['type']) ? (p['type'] as string[]).join(' | ') : String(p['type'] ?? 'any');
    const desc = typeof p['description'] === 'string' ? `: ${p['description']}` : '';
    return `- \`${key}\` (${type}${required.has(key) ? ', required' : ''})${desc}`;
  });
}
