/**
 * A page {@link ToolRegistry} as the tool source of an agent session. The registry keeps its own
 * gate (allow/deny, schemas, rate limits, its approval callback — the page's dialog); the session
 * asks only for calls its policy wants approved and the registry would not ask about, so no call
 * is asked about twice.
 */
import type { ToolRegistry } from '../registry/tool-registry.js';
import type { AgentToolSource } from './session.js';

/** The registry's tools for a session; calls carry the caller `agent`. */
export function registryToolSource(registry: ToolRegistry): AgentToolSource {
  return {
    handlesApproval: true,
    approvalReason: (name) => registry.approvalReason(name),
    list: () => registry.list(),
    call: (name, args, signal) => registry.call(name, args, { caller: 'agent', ...(signal ? { signal } : {}) }),
  };
}
