/**
 * A page {@link ToolRegistry} as the tool source of an agent session. The registry keeps its own
 * gate (allow/deny, schemas, rate limits, its approval callback — the page's dialog), so the
 * session does not ask for approval a second time.
 */
import type { ToolRegistry } from '../registry/tool-registry.js';
import type { AgentToolSource } from './session.js';

/** The registry's tools for a session; calls carry the caller `agent`. */
export function registryToolSource(registry: ToolRegistry): AgentToolSource {
  return {
    handlesApproval: true,
    list: () => registry.list(),
    call: (name, args, signal) => registry.call(name, args, { caller: 'agent', ...(signal ? { signal } : {}) }),
  };
}
