/**
 * The telemetry taxonomy: every span, event and metric the kit emits, with its attributes. It is
 * data, so docs/TELEMETRY.md's table is generated from it (`node --import tsx
 * scripts/gen-telemetry-docs.ts`) and tests check that what is emitted is listed here.
 * OpenTelemetry semantic conventions where they exist (GenAI: `gen_ai.*`; MCP: `mcp.*`;
 * `error.type`), `vib3.*` otherwise. Browser-safe; imports nothing.
 */

/** What kind of signal an entry is. */
export type SignalKind = 'span' | 'event' | 'histogram' | 'counter';

/** The part of the kit an entry belongs to. */
export type TelemetryArea = 'agent' | 'mcp' | 'render' | 'extensions' | 'marketplace';

/** One attribute: its type, meaning, and whether it is content (recorded only with content capture). */
export interface AttributeSpec {
  type: 'string' | 'int' | 'double' | 'boolean' | 'string[]';
  description: string;
  /** Prompt, tool-argument or tool-result text: recorded only when content capture is on. */
  content?: boolean;
  /** Defined by an OpenTelemetry semantic convention (else a `vib3.*` attribute). */
  semconv?: boolean;
}

/** Every attribute the kit records. */
export const ATTRIBUTES = {
  'gen_ai.operation.name': { type: 'string', semconv: true, description: '`invoke_agent`, `chat` or `execute_tool`.' },
  'gen_ai.provider.name': { type: 'string', semconv: true, description: 'The provider of the deployment that answered (`openai`, `anthropic`, `openai-compatible`).' },
  'gen_ai.request.model': { type: 'string', semconv: true, description: 'The model id of the deployment that answered.' },
  'gen_ai.response.finish_reasons': { type: 'string[]', semconv: true, description: 'The model step’s finish reason (`stop`, `tool-calls`, `length`, …).' },
  'gen_ai.usage.input_tokens': { type: 'int', semconv: true, description: 'Input tokens of the step or session (as the provider reported them).' },
  'gen_ai.usage.output_tokens': { type: 'int', semconv: true, description: 'Output tokens of the step or session.' },
  'gen_ai.token.type': { type: 'string', semconv: true, description: '`input` or `output` (on `gen_ai.client.token.usage`).' },
  'gen_ai.agent.name': { type: 'string', semconv: true, description: 'The agent: `vib3-agent`.' },
  'gen_ai.tool.name': { type: 'string', semconv: true, description: 'The tool’s MCP name (`set_params`, `dev.vib3.duoprism.set_sides`).' },
  'gen_ai.tool.call.id': { type: 'string', semconv: true, description: 'The model’s id of the tool call.' },
  'gen_ai.tool.type': { type: 'string', semconv: true, description: '`function`.' },
  'gen_ai.tool.call.arguments': { type: 'string', semconv: true, content: true, description: 'The call’s arguments as JSON.' },
  'gen_ai.tool.call.result': { type: 'string', semconv: true, content: true, description: 'The tool result’s text as the model saw it.' },
  'gen_ai.input.messages': { type: 'string', semconv: true, content: true, description: 'The user’s prompt.' },
  'gen_ai.output.messages': { type: 'string', semconv: true, content: true, description: 'The model’s final text.' },
  'mcp.method.name': { type: 'string', semconv: true, description: 'The JSON-RPC method (`tools/call`, `tools/list`, `resources/read`, `server/discover`, …).' },
  'mcp.protocol.version': { type: 'string', semconv: true, description: 'The negotiated MCP revision.' },
  'mcp.resource.uri': { type: 'string', semconv: true, description: 'The resource of `resources/read`.' },
  'jsonrpc.request.id': { type: 'string', semconv: true, description: 'The JSON-RPC id of the request.' },
  'network.transport': { type: 'string', semconv: true, description: '`pipe` (stdio) or `tcp` (Streamable HTTP).' },
  'error.type': { type: 'string', semconv: true, description: 'The error class (closed list, docs/TELEMETRY.md "Error classes").' },
  'vib3.error.code': { type: 'string', description: 'The stable error code (`APPROVAL_DENIED`, `LLM_RATE_LIMITED`, …).' },
  'vib3.tool.caller': { type: 'string', description: 'Who called the tool: `agent`, `mcp`, `page`, `webmcp`, `bridge`.' },
  'vib3.tool.source': { type: 'string', description: '`kit` or the extension id the tool comes from.' },
  'vib3.approval.reason': { type: 'string', description: '`always` or `destructive`.' },
  'vib3.approval.granted': { type: 'boolean', description: 'Whether the user approved.' },
  'vib3.router.decision': { type: 'string', description: '`attempt`, `retry`, `fallback`, `cooldown`, `skip`, `context-fallback`, `restart`, `success`.' },
  'vib3.router.deployment': { type: 'string', description: 'The deployment id a decision is about.' },
  'vib3.router.delay_ms': { type: 'int', description: 'The wait before a retry, or the cooldown length.' },
  'vib3.router.reason': { type: 'string', description: 'Why a deployment was skipped (`cooldown`, `budget`, `context-window`) or the error code behind a retry, fallback or cooldown.' },
  'vib3.session.finish_reason': { type: 'string', description: 'Why the session ended (`stop`, `max-steps`, `budget`, `moderation`, `aborted`, `error`, …).' },
  'vib3.session.steps': { type: 'int', description: 'Model steps of the session.' },
  'vib3.session.tool_calls': { type: 'int', description: 'Tool calls of the session.' },
  'vib3.cost.usd': { type: 'double', description: 'Estimated spend from deployment pricing.' },
  'vib3.render.backend': { type: 'string', description: '`webgpu` or `webgl2`.' },
  'vib3.render.scale': { type: 'double', description: 'The adaptive render scale (0.25–1).' },
  'vib3.render.loss_reason': { type: 'string', description: 'Why the GPU device / GL context was lost, as the browser reported it (`destroyed`, `unknown`, `webglcontextlost`, …; cut at 64 characters).' },
  'vib3.extension.id': { type: 'string', description: 'The extension’s id.' },
  'vib3.extension.version': { type: 'string', description: 'The extension’s version.' },
  'vib3.extension.state': { type: 'string', description: 'The lifecycle state reached (`active`, `crashed`, `quarantined`, …).' },
  'vib3.channel': { type: 'string', description: '`stable`, `beta` or `canary`.' },
  'vib3.install.operation': { type: 'string', description: '`install`, `update`, `channel`, `rollback` or `uninstall`.' },
  'vib3.install.action': { type: 'string', description: 'What it did: `installed`, `updated`, `downgraded`, `rolled-back`, `unchanged`.' },
  'vib3.license.decision': { type: 'string', description: '`granted`, `denied`, `expired`, `revoked`.' },
  'vib3.sync.partner': { type: 'string', description: 'The partner marketplace of a sync push.' },
} as const satisfies Record<string, AttributeSpec>;

/** An attribute name of the taxonomy. */
export type AttributeName = keyof typeof ATTRIBUTES;

/** One span, event or metric. */
export interface SignalSpec {
  /** The span name (a pattern with `{attribute}` where the name carries one), event name or metric name. */
  name: string;
  kind: SignalKind;
  area: TelemetryArea;
  description: string;
  /** For metrics: the unit (UCUM). */
  unit?: string;
  /** Attributes it carries (content ones only with content capture). */
  attributes: AttributeName[];
  /** Where it is emitted. */
  emittedBy: string;
}

/** Every signal the kit emits. */
export const SIGNALS: readonly SignalSpec[] = [
  { name: 'invoke_agent {gen_ai.agent.name}', kind: 'span', area: 'agent', emittedBy: 'runAgentSession', description: 'One agent session: from the prompt to the answer (or its end).', attributes: ['gen_ai.operation.name', 'gen_ai.agent.name', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'vib3.session.finish_reason', 'vib3.session.steps', 'vib3.session.tool_calls', 'vib3.cost.usd', 'error.type', 'vib3.error.code', 'gen_ai.input.messages', 'gen_ai.output.messages'] },
  { name: 'chat {gen_ai.request.model}', kind: 'span', area: 'agent', emittedBy: 'runAgentSession', description: 'One model step (the router’s retries and fallbacks are its events).', attributes: ['gen_ai.operation.name', 'gen_ai.provider.name', 'gen_ai.request.model', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'gen_ai.response.finish_reasons', 'vib3.router.deployment', 'vib3.cost.usd', 'error.type', 'vib3.error.code'] },
  { name: 'vib3.router.decision', kind: 'event', area: 'agent', emittedBy: 'Router (on the chat span)', description: 'A routing decision: attempt, retry, fallback, cooldown, skip, context fallback, restart, success.', attributes: ['vib3.router.decision', 'vib3.router.deployment', 'vib3.router.delay_ms', 'vib3.router.reason'] },
  { name: 'execute_tool {gen_ai.tool.name}', kind: 'span', area: 'agent', emittedBy: 'runAgentSession, ToolRegistry callers', description: 'One tool call, with its approval.', attributes: ['gen_ai.operation.name', 'gen_ai.tool.name', 'gen_ai.tool.call.id', 'gen_ai.tool.type', 'vib3.tool.caller', 'vib3.tool.source', 'error.type', 'vib3.error.code', 'gen_ai.tool.call.arguments', 'gen_ai.tool.call.result'] },
  { name: 'vib3.approval', kind: 'event', area: 'agent', emittedBy: 'runAgentSession (on the execute_tool span)', description: 'An approval asked and answered.', attributes: ['vib3.approval.reason', 'vib3.approval.granted'] },
  { name: 'gen_ai.client.token.usage', kind: 'histogram', unit: '{token}', area: 'agent', emittedBy: 'runAgentSession', description: 'Tokens per model step, by type.', attributes: ['gen_ai.operation.name', 'gen_ai.provider.name', 'gen_ai.request.model', 'gen_ai.token.type'] },
  { name: 'gen_ai.client.operation.duration', kind: 'histogram', unit: 's', area: 'agent', emittedBy: 'runAgentSession', description: 'Duration of model steps and tool calls.', attributes: ['gen_ai.operation.name', 'gen_ai.provider.name', 'gen_ai.request.model', 'gen_ai.tool.name', 'error.type'] },
  { name: '{mcp.method.name} {target}', kind: 'span', area: 'mcp', emittedBy: 'vib3 mcp', description: 'One MCP request the server answered (`tools/call set_params`, `resources/read vib3://…`).', attributes: ['mcp.method.name', 'mcp.protocol.version', 'mcp.resource.uri', 'jsonrpc.request.id', 'network.transport', 'gen_ai.tool.name', 'gen_ai.operation.name', 'error.type', 'vib3.error.code'] },
  { name: 'mcp.server.operation.duration', kind: 'histogram', unit: 's', area: 'mcp', emittedBy: 'vib3 mcp', description: 'Duration of MCP requests.', attributes: ['mcp.method.name', 'gen_ai.tool.name', 'network.transport', 'error.type'] },
  { name: 'vib3.marketplace.install', kind: 'span', area: 'marketplace', emittedBy: 'Installer (vib3 ext install / update / channel / rollback / uninstall, and the page installer)', description: 'An install, update, channel switch, rollback or uninstall.', attributes: ['vib3.install.operation', 'vib3.extension.id', 'vib3.extension.version', 'vib3.channel', 'vib3.install.action', 'error.type', 'vib3.error.code'] },
  { name: 'vib3.marketplace.install.duration', kind: 'histogram', unit: 's', area: 'marketplace', emittedBy: 'Installer', description: 'How long installer operations take.', attributes: ['vib3.install.operation', 'vib3.extension.id', 'error.type'] },
  { name: 'vib3.render.first_frame', kind: 'histogram', unit: 'ms', area: 'render', emittedBy: '<vib3-canvas> (pages with enableTelemetry)', description: 'Connect → first frame.', attributes: ['vib3.render.backend'] },
  { name: 'vib3.render.frame_time', kind: 'histogram', unit: 'ms', area: 'render', emittedBy: '<vib3-canvas> (pages with enableTelemetry)', description: 'Main-thread time per frame (the renderer’s render call), for one frame in 30, and of those the `sampleRate` share.', attributes: ['vib3.render.backend', 'vib3.render.scale'] },
  { name: 'vib3.render.context_loss', kind: 'span', area: 'render', emittedBy: '<vib3-canvas> (pages with enableTelemetry)', description: 'A lost GPU device / GL context: from the loss to the restore (its event) or to the failure (the span fails with `CONTEXT_LOST`).', attributes: ['vib3.render.backend', 'vib3.render.loss_reason', 'error.type', 'vib3.error.code'] },
  { name: 'vib3.render.context_restored', kind: 'event', area: 'render', emittedBy: '<vib3-canvas> (on the vib3.render.context_loss span)', description: 'Rendering resumed on a new device / context.', attributes: ['vib3.render.backend'] },
  { name: 'vib3.extension.crashes', kind: 'counter', unit: '{crash}', area: 'extensions', emittedBy: 'ExtensionHost (pages with enableTelemetry)', description: 'Extension workers that crashed, hung or failed to restart; `vib3.extension.state` says whether it restarts or is quarantined.', attributes: ['vib3.extension.id', 'vib3.extension.state', 'error.type', 'vib3.error.code'] },
];

/** The span name of a pattern with its placeholders filled (`execute_tool {gen_ai.tool.name}` → `execute_tool set_params`). */
export function spanName(pattern: string, values: Record<string, string | undefined>): string {
  return pattern.replace(/\{([^}]+)\}/g, (_, key: string) => values[key] ?? '').trim();
}
