/**
 * The toolpack.json of an extension (what `vib3 ext build` writes to `entrypoints.toolPack`),
 * made from its manifest and the tools its worker describes (browser-safe): id and version of
 * the extension, its title and description, the kit range of `compatibility.core`, every tool
 * named `<extension-id>.<tool>` with its schemas, annotations and policy, and one toolset
 * `default` holding every tool. Validate the result with `validateToolPack(pack, { extension })`.
 */
import type { ToolDescription } from '../../sdk/types.js';
import type { Capability, ToolPackTool, Vib3ToolPack } from './toolpack.generated.js';
import { normalizeToolName } from './names.js';

/** The MCP protocol revisions the kit's tools are written for (oldest first). */
export const MCP_PROTOCOL_VERSIONS: readonly [string, ...string[]] = ['2025-06-18', '2025-11-25', '2026-07-28'];

/** The `$schema` written into a built pack (the schema's `$id`). */
export const TOOLPACK_SCHEMA_ID = 'https://vib3.dev/schemas/toolpack.schema.json';

/** The name of the toolset holding every tool of a built pack. */
export const DEFAULT_TOOLSET = 'default';

/** The parts of an extension manifest a built pack is made from. */
export interface ToolPackManifest {
  id: string;
  version: string;
  name: string;
  description?: string;
  compatibility: { core: string };
  marketplace?: { title?: string; summary?: string };
}

/** `<extension-id>.<tool>` for a tool name (already namespaced names, dotted or legacy `/`, are kept, dotted). */
export function namespacedToolName(extensionId: string, name: string): string {
  const normalized = normalizeToolName(extensionId, name);
  return normalized.startsWith(`${extensionId}.`) ? normalized : `${extensionId}.${normalized}`;
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}\u2026`);
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** One described tool as a pack tool: MCP fields, then the policy (`requires` always holds `agent-tools`). */
export function toolPackToolOf(extensionId: string, t: ToolDescription): ToolPackTool {
  const tool = {
    name: namespacedToolName(extensionId, t.name),
    ...(t.title !== undefined ? { title: t.title } : {}),
    description: t.description,
    inputSchema: clone(t.inputSchema),
    ...(t.outputSchema !== undefined ? { outputSchema: clone(t.outputSchema) } : {}),
    ...(t.annotations !== undefined ? { annotations: clone(t.annotations) } : {}),
    requires: [...new Set<Capability>(['agent-tools', ...(t.requires ?? [])])],
    approval: t.approval ?? 'destructive',
    ...(t.rateLimit !== undefined ? { rateLimit: { perMinute: t.rateLimit.perMinute } } : {}),
    ...(t.examples?.length ? { examples: clone(t.examples) } : {}),
  };
  return tool as ToolPackTool;
}

/** The toolpack.json of an extension (see the module comment). `tools` must not be empty. */
export function toolPackFromExtension(manifest: ToolPackManifest, tools: readonly ToolDescription[]): Vib3ToolPack {
  const packTools = tools.map((t) => toolPackToolOf(manifest.id, t));
  const title = manifest.marketplace?.title || manifest.name;
  const description = manifest.description || manifest.marketplace?.summary || `Agent tools of ${title}.`;
  return {
    $schema: TOOLPACK_SCHEMA_ID,
    id: manifest.id,
    version: manifest.version,
    title: clip(title, 100),
    description: clip(description, 1000),
    compatibility: { kit: manifest.compatibility.core, mcpProtocolVersions: [...MCP_PROTOCOL_VERSIONS] as [string, ...string[]] },
    toolsets: packTools.length ? [{ name: DEFAULT_TOOLSET, title: `All tools of ${clip(title, 80)}`, tools: packTools.map((t) => t.name) as [string, ...string[]] }] : [],
    tools: packTools as Vib3ToolPack['tools'],
  };
}
