/**
 * The agent safety policy: plain JSON a partner can review (docs/LLM.md "Safety policy"),
 * checked against {@link AGENT_POLICY_SCHEMA} without eval. It caps steps, tool calls, tool
 * output and spend, lists allowed and denied tools, overrides per-tool approval and asks for
 * the host's moderation hook. Nothing a model or a tool returns can change it.
 */
import { ToolSchemaCheck } from '../../sdk/tool-schema.js';
import { approvalReason } from '../registry/approval.js';
import type { AgentTool, ApprovalPolicy } from '../registry/types.js';
import { LlmError } from './errors.js';

/** The safety policy of an agent session. */
export interface AgentPolicy {
  /** Model steps per session (one step = one model call; default 8). */
  maxSteps: number;
  /** Tool calls per session (default 24). */
  maxToolCalls: number;
  /** Characters of one tool result the model sees; the rest is cut (default 8000). */
  maxToolOutputChars: number;
  /** Output tokens per model step (default 1024). */
  maxOutputTokens: number;
  /** Tools the model is offered: exact names or prefixes ending in `*` (default `["*"]`). */
  allow: string[];
  /** Tools never offered nor run (exact or `prefix*`; default none). */
  deny: string[];
  /** Per-tool approval overriding the tool pack's (`never` | `destructive` | `always`). */
  approval: Record<string, ApprovalPolicy>;
  /** Sources whose annotations may judge a `destructive` tool harmless (default `["kit"]`). */
  trustedSources: string[];
  /** Session spend caps: total tokens and estimated USD (from deployment pricing). */
  spendCap: { tokens?: number; usd?: number };
  /** Require the host's moderation hook before (`input`) and after (`output`) model calls. */
  moderation: { input: boolean; output: boolean };
}

/** The defaults {@link parsePolicy} fills in. */
export const DEFAULT_POLICY: Readonly<AgentPolicy> = Object.freeze({
  maxSteps: 8,
  maxToolCalls: 24,
  maxToolOutputChars: 8000,
  maxOutputTokens: 1024,
  allow: ['*'],
  deny: [],
  approval: {},
  trustedSources: ['kit'],
  spendCap: {},
  moderation: { input: false, output: false },
});

const count = (max: number) => ({ type: 'integer', minimum: 1, maximum: max });
const names = { type: 'array', maxItems: 256, items: { type: 'string', pattern: '^[A-Za-z0-9_.*-]{1,129}$' } };

/** JSON Schema (2020-12) of the policy file. Unknown keys are refused, so a typo is not a silent no-op. */
export const AGENT_POLICY_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    maxSteps: count(100),
    maxToolCalls: count(1000),
    maxToolOutputChars: { type: 'integer', minimum: 100, maximum: 1_000_000 },
    maxOutputTokens: count(200_000),
    allow: names,
    deny: names,
    approval: { type: 'object', additionalProperties: { enum: ['never', 'destructive', 'always'] } },
    trustedSources: { type: 'array', items: { type: 'string' } },
    spendCap: { type: 'object', additionalProperties: false, properties: { tokens: { type: 'integer', minimum: 1 }, usd: { type: 'number', exclusiveMinimum: 0 } } },
    moderation: { type: 'object', additionalProperties: false, properties: { input: { type: 'boolean' }, output: { type: 'boolean' } } },
  },
} as const;

const check = new ToolSchemaCheck(AGENT_POLICY_SCHEMA);

/** Checks a policy (parsed JSON) and fills in the defaults. Throws `LLM_INVALID_POLICY`. */
export function parsePolicy(value: unknown = {}): AgentPolicy {
  const problem = check.check(value);
  if (problem) throw new LlmError('LLM_INVALID_POLICY', `The agent policy is invalid at ${problem.path}: ${problem.message.replace(/\.$/, '')}.`, 'Fix the policy file; docs/LLM.md "Safety policy" lists every field.');
  const p = value as Partial<AgentPolicy>;
  return {
    ...DEFAULT_POLICY,
    ...p,
    allow: [...(p.allow ?? DEFAULT_POLICY.allow)],
    deny: [...(p.deny ?? [])],
    approval: { ...(p.approval ?? {}) },
    trustedSources: [...(p.trustedSources ?? DEFAULT_POLICY.trustedSources)],
    spendCap: { ...(p.spendCap ?? {}) },
    moderation: { ...DEFAULT_POLICY.moderation, ...(p.moderation ?? {}) },
  };
}

const matches = (patterns: string[], name: string): boolean => patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : p === name));

/** Whether the policy lets the model see and call a tool. */
export function toolPermitted(policy: AgentPolicy, name: string): boolean {
  return !matches(policy.deny, name) && matches(policy.allow, name);
}

/** The tool with the policy's approval override applied. */
export function withPolicyApproval(policy: AgentPolicy, tool: AgentTool): AgentTool {
  const approval = policy.approval[tool.name];
  return approval ? { ...tool, policy: { ...tool.policy, approval } } : tool;
}

/** Why a call of the tool needs approval under the policy, or undefined. */
export function policyApprovalReason(policy: AgentPolicy, tool: AgentTool): 'always' | 'destructive' | undefined {
  return approvalReason(withPolicyApproval(policy, tool), policy.trustedSources);
}
