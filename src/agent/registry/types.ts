/**
 * The page tool registry's types: the tools it lists (MCP Tool objects plus the kit's policy and
 * where they come from), the one result envelope every call returns, providers and approvals.
 */
import type { ToolAnnotations, ToolExample, ToolObjectSchema, ToolRateLimit } from '../toolpack/toolpack.generated.js';

/** MCP text content. */
export interface TextContent {
  type: 'text';
  text: string;
}

/** MCP image content: base64 `data` of `mimeType`. */
export interface ImageContent {
  type: 'image';
  data: string;
  mimeType: string;
}

/** One MCP content block of a tool result. */
export type ContentBlock = TextContent | ImageContent;

/** The error part of a failed call's envelope. */
export interface ToolErrorInfo {
  /** Stable code, e.g. `INVALID_TOOL_INPUT`, `APPROVAL_DENIED`, `RATE_LIMITED`. */
  code: string;
  /** What went wrong, for a person. */
  message: string;
  /** What to do about it. */
  suggestion: string;
  /** Whether the same call may succeed when tried again later (rate limits, timeouts, a busy canvas). */
  retryable: boolean;
  /** Tools that help next (e.g. `list_geometries` after a bad geometry). */
  nextTools?: string[];
}

/**
 * The result envelope of every call, shaped as an MCP `CallToolResult`: on success `content` and
 * (for tools with an outputSchema) `structuredContent` matching it; on failure `isError: true`,
 * one text block and `structuredContent: { error }` with a code, message, suggestion and
 * `retryable`.
 */
export interface ToolCallResult {
  content: ContentBlock[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** How calls of a tool are approved: never, when destructive, or always. */
export type ApprovalPolicy = 'never' | 'destructive' | 'always';

/** The kit's policy of one tool (from its tool pack, narrowed by the page). */
export interface ToolPolicy {
  /** Capabilities the tool needs. */
  requires: string[];
  approval: ApprovalPolicy;
  rateLimit?: ToolRateLimit;
}

/** A tool as the registry lists it: the MCP Tool object, its policy and its source. */
export interface AgentTool {
  /** MCP name: `[A-Za-z0-9_.-]{1,128}`; extension tools are `<extension-id>.<tool>`. */
  name: string;
  title?: string;
  description: string;
  inputSchema: ToolObjectSchema;
  outputSchema?: ToolObjectSchema;
  /** Hints from the tool's author; never permissions (approval comes from `policy`). */
  annotations?: ToolAnnotations;
  policy: ToolPolicy;
  examples?: ToolExample[];
  /** `kit` for the kit's own canvas pack, otherwise the extension id (or a provider id). */
  source: string;
}

/** What a provider hands back from a call (the registry checks it before anyone sees it). */
export interface ProviderResult {
  content: ContentBlock[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** Context of one call, passed to providers. */
export interface ToolCallContext {
  /** Who asks: `page`, `webmcp`, `mcp`, `bridge`, … (shown in approvals, written to the audit). */
  caller: string;
  signal?: AbortSignal;
}

/**
 * A source of tools: the kit's canvas pack, an extension host, or your own. `call` receives input
 * already checked against the tool's `inputSchema`; it may throw an error with `code`,
 * `message`, `suggestion` (and `retryable`), which the registry turns into the envelope.
 */
export interface ToolProvider {
  /** Unique id of the provider (`kit`, `extensions`, …). */
  readonly id: string;
  /** The tools now available. */
  tools(): AgentTool[];
  /** Runs one tool. */
  call(name: string, input: Record<string, unknown>, context: ToolCallContext): Promise<ProviderResult>;
  /** Subscribes to changes of `tools()`; returns the unsubscribe function. */
  onChange?(listener: () => void): () => void;
}

/** What an approval handler is asked. */
export interface ApprovalRequest {
  tool: AgentTool;
  input: Record<string, unknown>;
  caller: string;
  /** Why approval is needed: the policy is `always`, or the call is judged destructive. */
  reason: 'always' | 'destructive';
}

/** Decides an approval: true to run the call. Throwing or rejecting counts as a denial. */
export type ApprovalHandler = (request: ApprovalRequest) => boolean | Promise<boolean>;
