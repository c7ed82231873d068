/**
 * The LLM router a server builds from its environment (the registry's `/v1/agent` proxy; the CLI
 * reuses it): `VIB3_LLM_CONFIG` names a router JSON file (docs/LLM.md "Routing"), or
 * `VIB3_LLM_PROVIDER` (+ `VIB3_LLM_MODEL`, `VIB3_LLM_BASE_URL`) describes one deployment. Keys
 * come from the same environment (`OPENAI_API_KEY`, `ANTHROPIC_API_KEY`, `VIB3_LLM_API_KEY`, or
 * a deployment's `apiKeySecret`) and are registered with the redactor before any request runs.
 * Node-only.
 */
import { readFileSync } from 'node:fs';
import { LlmError } from '../agent/llm/errors.js';
import { createProviderModel, DEFAULT_KEY_SECRET } from '../agent/llm/providers.js';
import { parseRouterConfig, singleProviderConfig } from '../agent/llm/router-config.js';
import { Router } from '../agent/llm/router.js';
import { envSecrets, redactor } from '../agent/llm/secrets.js';
import type { ProviderKind, RouterConfig } from '../agent/llm/types.js';

/** The environment variables {@link routerFromEnvironment} reads (besides the keys). */
export const LLM_ENVIRONMENT = ['VIB3_LLM_CONFIG', 'VIB3_LLM_PROVIDER', 'VIB3_LLM_MODEL', 'VIB3_LLM_BASE_URL'] as const;

/** Options of {@link routerFromEnvironment}. */
export interface LlmEnvironmentOptions {
  /** The fetch the provider SDKs use (tests; default the global one). */
  fetch?: typeof fetch;
}

/**
 * Reads and checks a router JSON file (`vib3 agent --config`, `VIB3_LLM_CONFIG`).
 *
 * @throws LlmError `LLM_INVALID_CONFIG` for an unreadable file, bad JSON or a configuration that does not hold.
 */
export function readRouterConfigFile(file: string, source = '--config'): RouterConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LlmError('LLM_INVALID_CONFIG', `${source} names ${file}, which cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, `Point ${source} at a router JSON file (docs/LLM.md "Routing").`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LlmError('LLM_INVALID_CONFIG', `${file} (${source}) is not valid JSON.`, 'Fix the file; docs/LLM.md "Routing" shows its format.');
  }
  return parseRouterConfig(value);
}

/**
 * Registers every key the deployments (of `group`, default all) may use with the redactor, and
 * refuses when none of them can run because none has its key (local `openai-compatible` servers
 * need none).
 *
 * @throws LlmError `LLM_MISSING_KEY`.
 */
export function checkKeys(config: RouterConfig, env: Record<string, string | undefined>, group?: string): void {
  const ids = group ? new Set(config.groups[group] ?? []) : undefined;
  const deployments = config.deployments.filter((d) => !ids || ids.has(d.id));
  const secretOf = (d: RouterConfig['deployments'][number]) => d.apiKeySecret ?? DEFAULT_KEY_SECRET[d.provider];
  for (const d of deployments) redactor.add(env[secretOf(d)]);
  if (deployments.some((d) => d.provider === 'openai-compatible' || env[secretOf(d)])) return;
  const names = [...new Set(deployments.map(secretOf))];
  throw new LlmError('LLM_MISSING_KEY', `No usable API key: ${names.join(' and ')} ${names.length === 1 ? 'is' : 'are'} not set.`, `Set ${names[0]} in the environment (keys are never read from flags or files), or use a local openai-compatible server.`);
}

/**
 * The router configuration the environment describes: `VIB3_LLM_CONFIG` (a file; it wins when
 * both are set), else `VIB3_LLM_PROVIDER`, else undefined (no LLM configured).
 *
 * @throws LlmError `LLM_INVALID_CONFIG` for an unreadable or invalid file or an unknown provider.
 */
export function routerConfigFromEnvironment(env: Record<string, string | undefined>): RouterConfig | undefined {
  const file = env['VIB3_LLM_CONFIG']?.trim();
  if (file) return readRouterConfigFile(file, 'VIB3_LLM_CONFIG');
  const provider = env['VIB3_LLM_PROVIDER']?.trim();
  if (!provider) return undefined;
  const model = env['VIB3_LLM_MODEL']?.trim();
  const baseURL = env['VIB3_LLM_BASE_URL']?.trim();
  return singleProviderConfig({ provider: provider as ProviderKind, ...(model ? { model } : {}), ...(baseURL ? { baseURL } : {}) });
}

/**
 * The router the environment describes (keys from the same environment), or undefined when it
 * configures no LLM. Every key a deployment may use is registered with the redactor at once, so
 * no message built later can contain it.
 *
 * @throws LlmError `LLM_INVALID_CONFIG` (see {@link routerConfigFromEnvironment}), or
 *   `LLM_MISSING_KEY` when no deployment can run because none has its key.
 */
export function routerFromEnvironment(env: Record<string, string | undefined>, options: LlmEnvironmentOptions = {}): Router | undefined {
  const config = routerConfigFromEnvironment(env);
  if (!config) return undefined;
  checkKeys(config, env);
  const secrets = envSecrets(env);
  return new Router(config, (d) => createProviderModel(d, { secrets, ...(options.fetch ? { fetch: options.fetch } : {}) }));
}
