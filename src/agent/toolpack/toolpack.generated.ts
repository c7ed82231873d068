/* Generated from src/agent/toolpack/schema/toolpack.schema.json by scripts/gen-toolpack-types.mjs. Do not edit by hand. */

/**
 * MCP tool name: [A-Za-z0-9_.-], 1-128 characters; extension tools are `<extension-id>.<tool>`.
 */
export type ToolName = string;
/**
 * A capability of extension.json (capabilities.*) the tool needs.
 */
export type Capability = 'rendering' | 'geometry' | 'ui' | 'agent-tools' | 'telemetry' | 'network';

/**
 * toolpack.json: a set of agent tools. Each tool is an MCP Tool object (name, title, description, inputSchema, outputSchema, annotations, kept as MCP defines them) plus the kit's own policy beside it (requires, approval, rateLimit, examples). Tool names are checked by the validator (MCP-valid, unique, namespaced `<extension-id>.<tool>` in extensions) so that the legacy `<extension-id>/<tool>` form can be accepted with a warning.
 */
export interface Vib3ToolPack {
  $schema?: string;
  /**
   * Identifier of the pack: the extension id for an extension's pack (reverse-DNS), or a short kit id such as vib3.
   */
  id: string;
  /**
   * Canonical semantic version of the pack.
   */
  version: string;
  /**
   * Display name of the pack.
   */
  title: string;
  description: string;
  compatibility: ToolPackCompatibility;
  /**
   * Named groups of tools (by tool name) a host can enable together.
   */
  toolsets?: ToolPackToolset[];
  /**
   * @minItems 1
   * @maxItems 256
   */
  tools: [ToolPackTool, ...ToolPackTool[]];
}
export interface ToolPackCompatibility {
  /**
   * Semver range of the VIB3 Embed Kit versions the pack works with, e.g. ^1.4.0.
   */
  kit: string;
  /**
   * MCP protocol revisions the tools were written for, e.g. 2025-06-18.
   *
   * @minItems 1
   */
  mcpProtocolVersions?: [string, ...string[]];
}
export interface ToolPackToolset {
  name: string;
  title?: string;
  description?: string;
  /**
   * @minItems 1
   */
  tools: [ToolName, ...ToolName[]];
}
export interface ToolPackTool {
  name: ToolName;
  title?: string;
  description: string;
  inputSchema: ToolObjectSchema;
  outputSchema?: ToolObjectSchema;
  annotations?: ToolAnnotations;
  /**
   * MCP _meta, passed through unchanged.
   */
  _meta?: {
    [k: string]: unknown | undefined;
  };
  /**
   * Kit policy: capabilities the tool needs; each must be declared by the extension's manifest.
   */
  requires: Capability[];
  /**
   * Kit policy: when a call needs the user's approval (destructive = when the host judges the call destructive).
   */
  approval: 'never' | 'destructive' | 'always';
  rateLimit?: ToolRateLimit;
  examples?: ToolExample[];
}
/**
 * A JSON Schema whose root is an object (as MCP requires for inputSchema and outputSchema). Kept verbatim.
 */
export interface ToolObjectSchema {
  type: 'object';
  properties?: {
    [k: string]: {} | boolean | undefined;
  };
  required?: string[];
  [k: string]: unknown | undefined;
}
/**
 * MCP tool annotations. Hints only (never permissions): the kit's approval policy decides.
 */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}
export interface ToolRateLimit {
  perMinute: number;
}
export interface ToolExample {
  title?: string;
  /**
   * Arguments of a call, matching inputSchema.
   */
  input: {
    [k: string]: unknown | undefined;
  };
  /**
   * What the call returns (structured content or a short description).
   */
  output?:
    | {
        [k: string]: unknown | undefined;
      }
    | unknown[]
    | string
    | number
    | boolean
    | null;
}
