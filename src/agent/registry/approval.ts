/**
 * When a tool call needs the user's approval. One rule for the page registry and the LLM
 * session loop: `always` asks, `never` does not, and `destructive` asks on every call of an
 * untrusted source's tool (third-party annotations are hints, never permissions) and, for a
 * trusted source, when its annotations call the tool destructive or leave it open.
 */
import type { AgentTool } from './types.js';

/** Why a call needs approval, or undefined when it does not. */
export function approvalReason(tool: AgentTool, trustedSources: readonly string[] = ['kit']): 'always' | 'destructive' | undefined {
  const approval = tool.policy.approval;
  if (approval === 'always') return 'always';
  if (approval === 'never') return undefined;
  if (!trustedSources.includes(tool.source)) return 'destructive';
  const a = tool.annotations;
  return a?.destructiveHint === true || (a?.readOnlyHint !== true && a?.destructiveHint === undefined) ? 'destructive' : undefined;
}
