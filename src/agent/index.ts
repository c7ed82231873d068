/**
 * `vib3-embed/agent`: the page's agent layer (browser-safe, no eval). One {@link ToolRegistry}
 * holds the kit's canvas tools and every active extension's tools; MCP clients (through
 * `vib3 mcp`), WebMCP and the agent bridge all call through it, under the page's policy. The LLM
 * layer (docs/LLM.md) runs agent sessions over the same registry: `runAgentSession`, the
 * `Router`, the JSON safety policy, and `proxyModel` for model calls through the host's proxy
 * (keys stay on the server).
 *
 * ```js
 * import { ToolRegistry, canvasTools, extensionTools, exposeTools } from 'vib3-embed/agent';
 * const registry = new ToolRegistry({ approve: ({ tool }) => confirm(`Allow ${tool.name}?`) });
 * registry.add(canvasTools(document.querySelector('vib3-canvas')));
 * ```
 * @packageDocumentation
 */
export { ToolRegistry, type ToolRegistryOptions, type CallOptions, type ToolCallEventDetail } from './registry/tool-registry.js';
export { AgentToolError, errorResult, errorOf } from './registry/envelope.js';
export { extensionTools, type ToolHost } from './registry/extension-tools.js';
export type { AgentTool, ApprovalHandler, ApprovalPolicy, ApprovalRequest, ContentBlock, ImageContent, ProviderResult, TextContent, ToolCallContext, ToolCallResult, ToolErrorInfo, ToolPolicy, ToolProvider } from './registry/types.js';
export { canvasTools, type CanvasTarget, type CanvasToolsOptions } from './canvas/canvas-tools.js';
export { canvasToolPack, SNAPSHOT_MAX_EDGE } from './canvas/canvas-pack.js';
export { validateToolPack } from './toolpack/validate.js';
export { toMcpToolsList, toMarkdown, type McpTool, type McpToolsList } from './toolpack/export.js';
export { normalizeToolName, isValidToolName, TOOL_NAME_PATTERN } from './toolpack/names.js';
export type { Vib3ToolPack, ToolPackTool, ToolAnnotations, ToolObjectSchema } from './toolpack/toolpack.generated.js';
export { exposeTools, findModelContext, webmcpAnnotations, type ExposeToolsOptions, type ExposeToolsResult, type ExposedState, type ExposeFailure, type ModelContextLike, type ModelContextTool, type ModelContextToolAnnotations, type ModelContextClient } from './webmcp.js';
export { connectAgentBridge, AgentBridgeError, type AgentBridgeOptions, type AgentBridgeConnection, type AgentBridgeCallDetail, type AgentBridgeCloseDetail } from './bridge/connect.js';
// The LLM layer: sessions, router, policy, proxy client (provider packages are not in this entry).
export * from './llm/index.js';
