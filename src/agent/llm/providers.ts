/**
 * The provider adapters: one AI SDK model per deployment, over the official AI SDK providers
 * (`@ai-sdk/openai` for Chat Completions and Responses, `@ai-sdk/anthropic` for Messages,
 * `@ai-sdk/openai-compatible` for Ollama, llama.cpp server and vLLM). The packages load only
 * when a deployment of theirs is first used, so a page that talks to the host proxy never
 * downloads them. Keys come from the secret store (never from the deployment itself).
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { LlmError } from './errors.js';
import { readSecret, type SecretStore } from './secrets.js';
import type { Deployment, ProviderKind } from './types.js';

/** The secret each provider's key is read from when a deployment names none. */
export const DEFAULT_KEY_SECRET: Record<ProviderKind, string> = {
  openai: 'OPENAI_API_KEY',
  'openai-responses': 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  'openai-compatible': 'VIB3_LLM_API_KEY',
};

/** The API base each provider's SDK uses when a deployment gives none. */
export const DEFAULT_BASE_URL: Record<ProviderKind, string> = {
  openai: 'https://api.openai.com/v1',
  'openai-responses': 'https://api.openai.com/v1',
  // As Anthropic's own SDK takes it; `/v1` is added (the AI SDK's form, with `/v1`, is accepted too).
  anthropic: 'https://api.anthropic.com',
  // Ollama's OpenAI-compatible endpoint, the most common local server.
  'openai-compatible': 'http://127.0.0.1:11434/v1',
};

/** Options of {@link createProviderModel}. */
export interface ProviderModelOptions {
  /** Where keys come from. */
  secrets: SecretStore;
  /** The fetch the provider uses (default: the global one). */
  fetch?: typeof fetch;
}

/**
 * Request-body fixes for local OpenAI-compatible servers (docs/LLM.md "Local servers"). All three
 * take the standard body; these keep them on their documented paths.
 */
function localServerBody(flavor: Deployment['flavor']) {
  return (body: Record<string, unknown>): Record<string, unknown> => {
    const out = { ...body };
    // llama.cpp's server and vLLM reject `tool_choice` values other than auto/none/required
    // unless started with special flags; Ollama ignores it. `auto` is what the loop wants anyway.
    if (flavor && flavor !== 'generic' && out['tool_choice'] && typeof out['tool_choice'] === 'object') out['tool_choice'] = 'auto';
    // Ollama and llama.cpp do not know `parallel_tool_calls`.
    if (flavor === 'ollama' || flavor === 'llamacpp') delete out['parallel_tool_calls'];
    return out;
  };
}

/** Anthropic's base as its SDK takes it (`https://api.anthropic.com`) or with `/v1`: the AI SDK wants the latter. */
export function anthropicBase(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return /\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`;
}

/** The AI SDK model of a deployment (its provider package loads on first use). */
export async function createProviderModel(d: Deployment, options: ProviderModelOptions): Promise<LanguageModelV3> {
  const secretName = d.apiKeySecret ?? DEFAULT_KEY_SECRET[d.provider];
  const apiKey = await readSecret(options.secrets, secretName);
  if (!apiKey && d.provider !== 'openai-compatible') {
    throw new LlmError('LLM_MISSING_KEY', `No API key for ${d.id}: ${secretName} is not set.`, `Set ${secretName} in the environment (or the host's secret store), or choose another provider.`, { deployment: d.id });
  }
  const baseURL = d.baseURL ?? DEFAULT_BASE_URL[d.provider];
  const common = { baseURL, ...(options.fetch ? { fetch: options.fetch } : {}) };
  switch (d.provider) {
    case 'openai':
    case 'openai-responses': {
      const { createOpenAI } = await import('@ai-sdk/openai');
      const openai = createOpenAI({ ...common, apiKey: apiKey! });
      return d.provider === 'openai' ? openai.chat(d.model) : openai.responses(d.model);
    }
    case 'anthropic': {
      const { createAnthropic } = await import('@ai-sdk/anthropic');
      return createAnthropic({ ...common, baseURL: anthropicBase(baseURL), apiKey: apiKey! })(d.model);
    }
    case 'openai-compatible': {
      const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
      const local = createOpenAICompatible({ ...common, name: d.flavor && d.flavor !== 'generic' ? d.flavor : 'openai-compatible', ...(apiKey ? { apiKey } : {}), includeUsage: true, transformRequestBody: localServerBody(d.flavor) });
      return local.chatModel(d.model);
    }
    default:
      throw new LlmError('LLM_INVALID_CONFIG', `Unknown provider "${String((d as { provider: unknown }).provider)}" in ${d.id}.`, 'Use openai, openai-responses, anthropic or openai-compatible.');
  }
}
