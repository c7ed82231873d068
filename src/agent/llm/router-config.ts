/**
 * The router's configuration as JSON (a file `vib3 agent --config` and the registry's
 * `VIB3_LLM_CONFIG` read), checked without eval, and the one-deployment configuration the
 * `--provider/--model/--base-url` flags and `VIB3_LLM_PROVIDER` describe.
 */
import { ToolSchemaCheck } from '../../sdk/tool-schema.js';
import { LlmError } from './errors.js';
import { PROVIDER_KINDS, type ProviderKind, type RouterConfig } from './types.js';

/** The model each provider uses when none is given. */
export const DEFAULT_MODELS: Record<ProviderKind, string> = {
  openai: 'gpt-4.1-mini',
  'openai-responses': 'gpt-4.1-mini',
  anthropic: 'claude-sonnet-4-5',
  'openai-compatible': 'llama3.1',
};

const id = { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' };
const positive = { type: 'integer', minimum: 1 };

/** JSON Schema (2020-12) of a router configuration file. */
export const ROUTER_CONFIG_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  required: ['deployments', 'groups'],
  properties: {
    $schema: { type: 'string' },
    deployments: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'provider', 'model'],
        properties: {
          id,
          provider: { enum: [...PROVIDER_KINDS] },
          model: { type: 'string', minLength: 1, maxLength: 200 },
          baseURL: { type: 'string', pattern: '^https?://' },
          apiKeySecret: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,127}$' },
          contextWindow: positive,
          pricing: { type: 'object', additionalProperties: false, required: ['input', 'output'], properties: { input: { type: 'number', minimum: 0 }, output: { type: 'number', minimum: 0 } } },
          budget: id,
          flavor: { enum: ['ollama', 'llamacpp', 'vllm', 'generic'] },
        },
      },
    },
    groups: { type: 'object', minProperties: 1, additionalProperties: { type: 'array', minItems: 1, items: id } },
    contextFallbacks: { type: 'object', additionalProperties: { type: 'array', items: id } },
    budgets: { type: 'object', additionalProperties: { type: 'object', additionalProperties: false, properties: { requestsPerMinute: positive, tokensPerMinute: positive } } },
    retries: { type: 'integer', minimum: 0, maximum: 10 },
    backoffMs: { type: 'integer', minimum: 0, maximum: 60_000 },
    maxWaitMs: { type: 'integer', minimum: 0, maximum: 600_000 },
    cooldownMs: { type: 'integer', minimum: 0, maximum: 3_600_000 },
  },
} as const;

const check = new ToolSchemaCheck(ROUTER_CONFIG_SCHEMA);

/** Checks a parsed router configuration. Throws `LLM_INVALID_CONFIG` naming the first problem. */
export function parseRouterConfig(value: unknown): RouterConfig {
  const problem = check.check(value);
  if (problem) throw new LlmError('LLM_INVALID_CONFIG', `The router configuration is invalid at ${problem.path}: ${problem.message.replace(/\.$/, '')}.`, 'Fix the file; docs/LLM.md "Routing" shows every field.');
  const config = value as RouterConfig;
  const ids = new Set<string>();
  for (const d of config.deployments) {
    if (ids.has(d.id)) throw new LlmError('LLM_INVALID_CONFIG', `Deployment id "${d.id}" is used twice.`, 'Give every deployment its own id.');
    ids.add(d.id);
  }
  for (const [group, members] of Object.entries(config.groups)) {
    for (const m of members) if (!ids.has(m)) throw new LlmError('LLM_INVALID_CONFIG', `Group "${group}" names "${m}", which is not a deployment.`, 'List deployment ids in a group (groups cannot contain groups).');
  }
  for (const [group, fallbacks] of Object.entries(config.contextFallbacks ?? {})) {
    for (const g of [group, ...fallbacks]) if (!config.groups[g]) throw new LlmError('LLM_INVALID_CONFIG', `contextFallbacks names "${g}", which is not a group.`, 'contextFallbacks maps a group to the groups tried when a request does not fit it.');
  }
  for (const d of config.deployments) {
    // A misspelt budget name would mean no limit at all.
    if (d.budget !== undefined && !config.budgets?.[d.budget]) throw new LlmError('LLM_INVALID_CONFIG', `Deployment "${d.id}" draws from budget "${d.budget}", which is not in "budgets".`, 'Add the budget, or leave "budget" out to use the provider\'s.');
  }
  return config;
}

/** What the `--provider`, `--model` and `--base-url` flags (or `VIB3_LLM_*` variables) say. */
export interface SingleProvider {
  provider: ProviderKind;
  model?: string;
  baseURL?: string;
}

/** A router configuration of one deployment (`id` = the provider name) in the group `default`. */
export function singleProviderConfig(p: SingleProvider): RouterConfig {
  if (!PROVIDER_KINDS.includes(p.provider)) throw new LlmError('LLM_INVALID_CONFIG', `Unknown provider "${p.provider}".`, `Use one of: ${PROVIDER_KINDS.join(', ')}.`);
  if (p.baseURL !== undefined && !/^https?:\/\/[^/\s]+/.test(p.baseURL)) throw new LlmError('LLM_INVALID_CONFIG', `The base URL ${JSON.stringify(p.baseURL)} is not an http(s) URL.`, 'Give the API base as the provider SDK takes it, e.g. http://127.0.0.1:11434/v1.');
  return {
    deployments: [{ id: p.provider, provider: p.provider, model: p.model ?? DEFAULT_MODELS[p.provider], ...(p.baseURL ? { baseURL: p.baseURL } : {}) }],
    groups: { default: [p.provider] },
  };
}
