/** How serious a tool-pack problem is: errors make the pack unusable, warnings are advice. */
export type ToolPackProblemSeverity = 'error' | 'warning';

/** Stable codes for tool-pack problems. */
export type ToolPackProblemCode =
  | 'INVALID_JSON'
  | 'NOT_AN_OBJECT'
  | 'MISSING_FIELD'
  | 'UNKNOWN_FIELD'
  | 'WRONG_TYPE'
  | 'INVALID_VALUE'
  | 'INVALID_FORMAT'
  | 'INVALID_RANGE'
  | 'TOO_SHORT'
  | 'TOO_LONG'
  | 'TOO_FEW'
  | 'TOO_MANY'
  | 'DUPLICATE'
  | 'OUT_OF_RANGE'
  | 'TOOL_NAME_INVALID'
  | 'TOOL_NAME_DUPLICATE'
  | 'TOOL_NAME_NOT_NAMESPACED'
  | 'TOOL_NAME_LEGACY'
  | 'CAPABILITY_NOT_DECLARED'
  | 'TOOLSET_UNKNOWN_TOOL'
  | 'APPROVAL_TOO_WEAK'
  | 'INPUT_SCHEMA_NOT_OBJECT'
  | 'EXAMPLE_INVALID';

/** One problem in a toolpack.json, located by a JSON pointer (RFC 6901) into the pack as written. */
export interface ToolPackProblem {
  severity: ToolPackProblemSeverity;
  code: ToolPackProblemCode;
  /** JSON pointer to the offending value ('' = the whole document). */
  pointer: string;
  message: string;
  /** What to do about it. */
  suggestion: string;
}

const SUGGESTIONS: Partial<Record<ToolPackProblemCode, string>> = {
  INVALID_JSON: 'Fix the JSON syntax (a linter in your editor shows where).',
  NOT_AN_OBJECT: 'toolpack.json holds one object: { id, version, title, description, compatibility, tools }.',
  MISSING_FIELD: 'Add the field (see docs/AGENTS.md, "Tool packs").',
  UNKNOWN_FIELD: 'Remove the field or fix its spelling; MCP fields and the kit policy (requires, approval, rateLimit, examples) are the only ones allowed.',
  WRONG_TYPE: 'Use the type the schema asks for (src/agent/toolpack/schema/toolpack.schema.json).',
  INVALID_RANGE: 'Use a semver range such as ^1.4.0.',
  TOOL_NAME_INVALID: 'Use 1-128 characters from A-Z a-z 0-9 _ . - (MCP tool names).',
  TOOL_NAME_DUPLICATE: 'Give every tool its own name.',
  TOOL_NAME_NOT_NAMESPACED: 'Prefix extension tools with the extension id and a dot: <extension-id>.<tool>.',
  CAPABILITY_NOT_DECLARED: 'Declare the capability in extension.json (capabilities) or remove it from requires.',
  TOOLSET_UNKNOWN_TOOL: 'List only names of tools in this pack.',
  APPROVAL_TOO_WEAK: 'Set approval to "destructive" or "always" for a tool that says it is destructive.',
  INPUT_SCHEMA_NOT_OBJECT: 'MCP needs an object schema: { "type": "object", "properties": { … } }.',
  EXAMPLE_INVALID: 'Fix the example so it matches the tool\'s inputSchema (and outputSchema): agents copy examples.',
};

/** Builds a problem with the default suggestion of its code. */
export function toolPackProblem(code: ToolPackProblemCode, pointer: string, message: string, severity: ToolPackProblemSeverity = 'error', suggestion?: string): ToolPackProblem {
  return { severity, code, pointer, message, suggestion: suggestion ?? SUGGESTIONS[code] ?? 'See docs/AGENTS.md, "Tool packs".' };
}
