/**
 * The LLM layer (docs/LLM.md): provider-neutral agent sessions over the page or server tool
 * registry, a router with fallbacks, retries, cooldowns and budgets, and a JSON safety policy.
 * Browser-safe: provider packages load only through `createProviderModel` (Node, or a host that
 * opts into direct browser calls); pages normally reach a model through the host proxy
 * ({@link proxyModel}).
 */
export { runAgentSession, type AgentSessionOptions, type AgentSessionOutcome, type AgentToolSource, type ModerationHook, type ModerationVerdict } from './session.js';
export { Router, costOf, type ModelFactory, type RouterOptions } from './router.js';
export { parseRouterConfig, singleProviderConfig, DEFAULT_MODELS, ROUTER_CONFIG_SCHEMA, type SingleProvider } from './router-config.js';
export { parsePolicy, toolPermitted, policyApprovalReason, DEFAULT_POLICY, AGENT_POLICY_SCHEMA, type AgentPolicy } from './policy.js';
export { LlmError, LLM_ERROR_CODES, classifyLlmError, retryAfterMs, type LlmErrorCode } from './errors.js';
export { ModelToolNames, MODEL_TOOL_NAME } from './tool-names.js';
export { wrapToolOutput, outputDelimiter, untrustedNotice } from './untrusted.js';
export { Redactor, redactor, envSecrets, readSecret, type SecretStore } from './secrets.js';
export { registryToolSource } from './registry-source.js';
export { proxyModel, proxyStatus, type ProxyModelOptions, type ProxyStatus } from './proxy-model.js';
export { PROVIDER_KINDS, type AgentEvent, type BudgetLimit, type Deployment, type ProviderKind, type RouterConfig, type RouterDecision, type SessionFinishReason, type SessionResult, type SessionToolCall, type StepModel, type StepPart, type StepRequest, type Usage } from './types.js';
