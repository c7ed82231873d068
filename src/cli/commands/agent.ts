/**
 * `vib3 agent "<prompt>"`: one LLM agent session against a headless `<vib3-canvas>`
 * (docs/LLM.md "vib3 agent"). The model comes from `--provider/--model/--base-url` or a router
 * file (`--config`); keys only from the environment. Tool calls that need approval are asked on
 * the terminal (or approved by `--yes`; refused when stdin is not a terminal). Progress goes to
 * stderr; stdout gets the summary, or one JSON object with `--json`.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { Option } from 'commander';
import type { Vib3Command } from '../command.js';
import { CliError, type Io } from '../errors.js';
import { integer } from './shared.js';
import { PROVIDER_KINDS, type AgentEvent, type ProviderKind, type RouterConfig, type RouterDecision } from '../../agent/llm/types.js';
import type { ApprovalHandler } from '../../agent/registry/types.js';

interface AgentOpts {
  provider?: ProviderKind;
  model?: string;
  baseUrl?: string;
  config?: string;
  group?: string;
  policy?: string;
  maxSteps?: number;
  yes?: boolean;
  json?: boolean;
  renderer: 'auto' | 'webgpu' | 'webgl2';
  chromium?: string;
  extensions?: string;
}

const usage = (code: string, message: string) => new CliError(message, 2, code, 'Run "vib3 agent --help" for usage.');

/** A coded error of the LLM layer or the headless canvas as a CLI error. */
function coded(err: unknown): CliError {
  if (err instanceof CliError) return err;
  const e = err as { code?: unknown; message?: unknown; suggestion?: unknown };
  const code = typeof e?.code === 'string' ? e.code : 'AGENT_FAILED';
  const exit = code === 'LLM_INVALID_CONFIG' || code === 'LLM_INVALID_POLICY' || code === 'LLM_MISSING_KEY' ? 2 : 1;
  return new CliError(typeof e?.message === 'string' ? e.message : String(err), exit, code, typeof e?.suggestion === 'string' ? e.suggestion : 'Rerun with VIB3_DEBUG=1 and report it.');
}

function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw usage(`${what.toUpperCase()}_NOT_FOUND`, `Cannot read the ${what} file ${path}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw usage(`INVALID_${what.toUpperCase()}_JSON`, `The ${what} file ${path} is not JSON: ${(err as Error).message}.`);
  }
}

/** The router configuration the flags describe, else the one of the VIB3_LLM_* variables. */
async function routerConfig(opts: AgentOpts, env: Record<string, string | undefined>): Promise<RouterConfig> {
  const { singleProviderConfig } = await import('../../agent/llm/router-config.js');
  const { readRouterConfigFile, routerConfigFromEnvironment } = await import('../../agent-server/llm-environment.js');
  if (opts.config) {
    if (opts.provider || opts.model || opts.baseUrl) throw usage('CONFLICTING_OPTIONS', '--config describes the providers; leave out --provider, --model and --base-url.');
    return readRouterConfigFile(opts.config);
  }
  if (opts.provider) return singleProviderConfig({ provider: opts.provider, ...(opts.model ? { model: opts.model } : {}), ...(opts.baseUrl ? { baseURL: opts.baseUrl } : {}) });
  const fromEnv = routerConfigFromEnvironment({ ...env, ...(opts.model ? { VIB3_LLM_MODEL: opts.model } : {}), ...(opts.baseUrl ? { VIB3_LLM_BASE_URL: opts.baseUrl } : {}) });
  if (!fromEnv) throw usage('MISSING_PROVIDER', `Say which model API to use: --provider ${PROVIDER_KINDS.join('|')} (or set VIB3_LLM_PROVIDER or VIB3_LLM_CONFIG), or --config <router.json>.`);
  return fromEnv;
}

/**
 * Text from a model or a tool, made safe for a terminal: control characters (but newlines and
 * tabs) and bidirectional overrides are removed, so an answer cannot move the cursor, recolour
 * the screen or fake an approval prompt.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
}

/** Asks on the terminal; `--yes` approves; without a terminal, refuses. Ctrl+C at the prompt stops the session. */
function approver(opts: AgentOpts, io: Io, stop: AbortController): ApprovalHandler {
  return async ({ tool, input, reason }) => {
    if (opts.yes) return true;
    if (!process.stdin.isTTY) {
      io.err(`vib3 agent: ${tool.name} needs approval (${reason}); refused (stdin is not a terminal; pass --yes to approve)`);
      return false;
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    rl.on('SIGINT', () => {
      stop.abort();
      rl.close();
    });
    try {
      const answer = await rl.question(terminalSafe(`Allow ${tool.name}${tool.source !== 'kit' ? ` (from ${tool.source})` : ''} with ${JSON.stringify(input)}? [y/N] `), { signal: stop.signal });
      return /^y(es)?$/i.test(answer.trim());
    } catch {
      return false;
    } finally {
      rl.close();
    }
  };
}

function describeDecision(d: RouterDecision): string | undefined {
  switch (d.type) {
    case 'retry':
      return `${d.deployment}: ${d.code}, retrying in ${(d.delayMs / 1000).toFixed(1)} s`;
    case 'fallback':
      return `${d.from} failed (${d.code}); falling back to ${d.to}`;
    case 'cooldown':
      return `${d.deployment} cools down for ${Math.round(d.ms / 1000)} s (${d.code})`;
    case 'skip':
      return `${d.deployment} skipped (${d.reason})`;
    case 'context-fallback':
      return `the request does not fit ${d.from}; trying ${d.to}`;
    case 'restart':
      return `${d.deployment}: the answer broke off (${d.code}); the step starts again`;
    default:
      return undefined;
  }
}

function progress(io: Io, json: boolean): (e: AgentEvent) => void {
  return (e) => {
    if (e.type === 'tool-call') io.err(terminalSafe(`vib3 agent: → ${e.name} ${JSON.stringify(e.arguments)}`));
    else if (e.type === 'tool-result' && !e.call.result.ok) io.err(terminalSafe(`vib3 agent:   ✗ ${e.call.result.error?.code ?? 'ERROR'}: ${e.call.result.error?.message ?? ''}`));
    else if (e.type === 'step-restart') io.err(`vib3 agent: step ${e.step} restarted (${e.reason})`);
    else if (e.type === 'text-delta' && !json && process.stderr.isTTY) process.stderr.write(terminalSafe(e.delta));
  };
}

async function runAgent(io: Io, prompt: string | undefined, opts: AgentOpts): Promise<number> {
  try {
    return await agentSession(io, prompt, opts);
  } catch (err) {
    throw coded(err);
  }
}

async function agentSession(io: Io, prompt: string | undefined, opts: AgentOpts): Promise<number> {
  if (!prompt?.trim()) throw usage('MISSING_PROMPT', 'Say what the agent should do: vib3 agent "make it holographic at hue 280".');
  const env = process.env;
  const config = await routerConfig(opts, env);
  const { parsePolicy } = await import('../../agent/llm/policy.js');
  const policyFile = opts.policy ? (readJsonFile(opts.policy, 'policy') as Record<string, unknown>) : {};
  const policy = parsePolicy({ ...policyFile, ...(opts.maxSteps !== undefined ? { maxSteps: opts.maxSteps } : {}) });
  if (opts.group && !config.groups[opts.group]) throw usage('UNKNOWN_GROUP', `There is no model group "${opts.group}" in the configuration: ${Object.keys(config.groups).join(', ')}.`);
  const { runAgentCommand } = await import('../../agent-server/agent-run.js');
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  let result;
  try {
    result = await runAgentCommand({
      prompt,
      router: config,
      ...(opts.group ? { group: opts.group } : {}),
      policy,
      approve: approver(opts, io, stop),
      renderer: opts.renderer,
      ...(opts.chromium ? { chromium: opts.chromium } : {}),
      ...(opts.extensions ? { extensionsDir: opts.extensions } : {}),
      env,
      signal: stop.signal,
      onEvent: progress(io, opts.json === true),
      onDecision: (d) => {
        const line = describeDecision(d);
        if (line) io.err(`vib3 agent: router: ${line}`);
      },
      log: (line) => io.err(`vib3 agent: ${line}`),
    });
  } finally {
    process.off('SIGINT', onSignal);
  }
  const failed = result.finishReason === 'error' || result.finishReason === 'aborted';
  if (opts.json) {
    io.out(JSON.stringify({ toolCalls: result.toolCalls, params: result.params, usage: result.usage, finishReason: result.finishReason, text: result.text, steps: result.steps, costUsd: result.costUsd, ...(result.error ? { error: result.error } : {}) }, null, 2));
  } else {
    if (result.text) io.out(terminalSafe(result.text.trim()));
    io.out('');
    io.out(`Tool calls (${result.toolCalls.length}):`);
    for (const c of result.toolCalls) io.out(terminalSafe(`  ${c.result.ok ? '✓' : '✗'} ${c.name} ${JSON.stringify(c.arguments)}${c.result.ok ? '' : `  → ${c.result.error?.code}`}`));
    io.out(`Parameters: ${JSON.stringify(result.params)}`);
    io.out(`Usage: ${result.usage.inputTokens} input + ${result.usage.outputTokens} output tokens in ${result.steps} step${result.steps === 1 ? '' : 's'}${result.costUsd ? ` (≈ $${result.costUsd.toFixed(4)})` : ''}; finished: ${result.finishReason}`);
    if (result.error) io.err(terminalSafe(`vib3 agent: ${result.error.code}: ${result.error.message}\n  ${result.error.suggestion}`));
  }
  return failed ? 1 : 0;
}

/** Adds `agent` to the program. */
export function registerAgentCommand(program: Vib3Command): void {
  program
    .command('agent')
    .summary('Run one LLM agent session that drives a headless <vib3-canvas>')
    .description('One LLM agent session against a headless <vib3-canvas>: OpenAI, Anthropic or a local OpenAI-compatible server')
    .argument('[prompt]', 'What the agent should do, e.g. "make it holographic at hue 280".')
    .addOption(new Option('--provider <provider>', 'Model API: openai (Chat Completions), openai-responses, anthropic, openai-compatible (Ollama, llama.cpp, vLLM). Default: $VIB3_LLM_PROVIDER.').choices([...PROVIDER_KINDS]))
    .option('--model <model>', 'Model id (default per provider; $VIB3_LLM_MODEL).')
    .option('--base-url <url>', 'API base exactly as the provider SDK takes it, e.g. http://127.0.0.1:11434/v1 ($VIB3_LLM_BASE_URL).')
    .option('--config <file>', 'Router JSON: deployments, groups with fallbacks, budgets, retries (docs/LLM.md "Routing"). Replaces --provider/--model/--base-url.')
    .option('--group <name>', 'Model group of --config to use (default: its first).')
    .option('--policy <file>', 'Safety policy JSON (docs/LLM.md "Safety policy"): steps, tool calls, output size, allow/deny, approvals, spend cap.')
    .addOption(new Option('--max-steps <n>', 'Model steps at most (overrides the policy; default 8).').argParser(integer('--max-steps', 1, 100)))
    .option('--yes', 'Approve every tool call that needs approval (reset, extension tools). Without it you are asked; without a terminal they are refused.')
    .option('--json', 'Print one JSON object: { toolCalls, params, usage, finishReason, text, steps, costUsd, error? }.')
    .addOption(new Option('--renderer <renderer>', 'Headless canvas backend: auto, webgpu, webgl2.').choices(['auto', 'webgpu', 'webgl2']).default('auto'))
    .option('--chromium <path>', 'Chromium executable (default: $VIB3_CHROMIUM, else /usr/bin/chromium).')
    .option('--extensions <dir>', 'An install directory of "vib3 ext install --dir <dir>": its extensions run in the page and their tools are offered.')
    .usages('"<prompt>" --provider openai|openai-responses|anthropic|openai-compatible [--model <m>] [--base-url <url>] [--yes] [--json]', '"<prompt>" --config <router.json> [--group <name>] [--policy <policy.json>]')
    .addHelpText(
      'after',
      [
        '',
        'Keys come from the environment only: OPENAI_API_KEY (openai, openai-responses), ANTHROPIC_API_KEY (anthropic),',
        'VIB3_LLM_API_KEY (openai-compatible; most local servers need none). They are never printed or logged.',
        'The model sees the canvas tools (set_params, get_params, set_rotation, set_mesh, set_theme, reset,',
        'list_geometries, describe_geometry, render_snapshot) and each extension tool; tool names are sent as',
        'the APIs accept them (dots become underscores) and mapped back. Tool output reaches the model as untrusted data.',
        'Exit status: 0 when the session finished (stop, length, max-steps, budget, moderation), 1 on an error or when cancelled, 2 on a usage error.',
      ].join('\n'),
    )
    .examples(
      'OPENAI_API_KEY=… vib3 agent "make it holographic at hue 280" --provider openai',
      'ANTHROPIC_API_KEY=… vib3 agent "slow the rotation and go quantum" --provider anthropic --json',
      'vib3 agent "show a tesseract" --provider openai-compatible --base-url http://127.0.0.1:11434/v1 --model llama3.1',
      'vib3 agent "reset it" --config router.json --policy policy.json --yes',
    )
    .run<AgentOpts>(({ io, args, opts }) => runAgent(io, args[0], opts));
}
