/**
 * The LLM proxy of the registry (docs/LLM.md "The host proxy"; the client is `proxyModel` in
 * `src/agent/llm/proxy-model.ts`), mounted at `/v1/agent`:
 *   GET  /v1/agent         what is configured: `{ configured, groups, deployments: [{ id, provider, model }], message? }`
 *   POST /v1/agent/step    one model step: `{ group?, request }` → 200 `application/x-ndjson`, one step part a line
 *   POST /v1/agent/tokens  an agent token for a host page's user: `{ user, expiresInSeconds? }` → 201 `{ token, user, expiresAt }` (admin)
 *   POST /v1/agent/tokens/revoke  revokes every agent token of a user: `{ user }` → `{ user, revoked }` (admin)
 * Pages run the agent loop and their tools themselves; only each model step comes here, where the
 * server's router (keys from its environment) answers it. Only agent tokens and the admin token
 * may call the proxy (a publisher token gets 403 `AGENT_TOKEN_REQUIRED`: publishers must not spend
 * the operator's LLM key; an agent token may do nothing else); steps are limited per token
 * principal, not per address. Keys never leave: error lines carry `LlmError`'s redacted form, and
 * every line's values pass the redactor before they are serialised. CORS ({@link agentCors}) is
 * applied by `createApp` ahead of the registry's per-address limiter, so its 429s are readable too.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { LanguageModelV3FunctionTool, LanguageModelV3Message, LanguageModelV3ToolChoice } from '@ai-sdk/provider';
import { ToolSchemaCheck, TOOL_IO_LIMITS } from '../../sdk/tool-schema.js';
import { classifyLlmError, LlmError } from '../../agent/llm/errors.js';
import { redactor } from '../../agent/llm/secrets.js';
import type { Router } from '../../agent/llm/router.js';
import type { StepPart, StepRequest } from '../../agent/llm/types.js';
import { DEFAULT_AGENT_SETTINGS, type RegistryContext } from '../context.js';
import { RegistryError } from '../errors.js';
import { AGENT_USER_PATTERN, authenticateAny, bearer, issueToken, requireAdmin, revokeAgentTokens, type Principal } from '../auth/tokens.js';
import { rateLimit } from './rate-limit.js';
import { readJson } from './request.js';

/** Largest step request body, in bytes (the validator's own cap). */
export const MAX_STEP_BYTES = TOOL_IO_LIMITS.maxBytes;

const NAME = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' };
const CALL_ID = { type: 'string', minLength: 1, maxLength: 200 };
const TEXT = { type: 'string', maxLength: 100_000 };
/** Accepted where the AI SDK allows it, and dropped before the router sees the request. */
const STRIPPED = { type: 'object' };
const part = (type: string, required: string[], properties: Record<string, unknown>) => ({ type: 'object', additionalProperties: false, required: ['type', ...required], properties: { type: { const: type }, ...properties, providerOptions: STRIPPED } });

/** JSON Schemas (2020-12) of the prompt parts the proxy accepts, by part type. */
export const AGENT_PART_SCHEMAS = {
  text: part('text', ['text'], { text: TEXT }),
  'tool-call': part('tool-call', ['toolCallId', 'toolName', 'input'], { toolCallId: CALL_ID, toolName: NAME, input: { type: 'object' } }),
  'tool-result': part('tool-result', ['toolCallId', 'toolName', 'output'], {
    toolCallId: CALL_ID,
    toolName: NAME,
    // `text` and `error-text` carry a string value (checked after the schema), `json` and `error-json` any JSON.
    output: { type: 'object', additionalProperties: false, required: ['type', 'value'], properties: { type: { enum: ['text', 'error-text', 'json', 'error-json'] }, value: {}, providerOptions: STRIPPED } },
  }),
} as const;

/** The part types each role may hold; a `system` message's content is one string. */
const ROLE_PARTS: Record<string, readonly (keyof typeof AGENT_PART_SCHEMAS)[]> = { user: ['text'], assistant: ['text', 'tool-call'], tool: ['tool-result'] };

/**
 * JSON Schema (2020-12) of a step request body, checked without eval ({@link ToolSchemaCheck});
 * each prompt part is then checked against {@link AGENT_PART_SCHEMAS} for its role.
 */
export const AGENT_STEP_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  required: ['request'],
  properties: {
    group: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' },
    request: {
      type: 'object',
      additionalProperties: false,
      required: ['prompt', 'tools'],
      properties: {
        prompt: {
          type: 'array',
          minItems: 1,
          maxItems: 256,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['role', 'content'],
            properties: { role: { enum: ['system', 'user', 'assistant', 'tool'] }, content: { type: ['string', 'array'], maxLength: TEXT.maxLength, maxItems: 256 }, providerOptions: STRIPPED },
          },
        },
        tools: {
          type: 'array',
          maxItems: 128,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'name', 'inputSchema'],
            properties: {
              type: { const: 'function' },
              name: NAME,
              description: { type: 'string', maxLength: 8192 },
              inputSchema: { type: 'object', required: ['type'], properties: { type: { const: 'object' } } },
              providerOptions: STRIPPED,
            },
          },
        },
        toolChoice: { type: 'object', additionalProperties: false, required: ['type'], properties: { type: { enum: ['auto', 'none', 'required', 'tool'] }, toolName: NAME } },
        maxOutputTokens: { type: 'integer', minimum: 1, maximum: 1_000_000 },
        providerOptions: STRIPPED,
        headers: STRIPPED,
      },
    },
  },
} as const;

const stepCheck = new ToolSchemaCheck(AGENT_STEP_SCHEMA);
const partChecks = Object.fromEntries(Object.entries(AGENT_PART_SCHEMAS).map(([type, schema]) => [type, new ToolSchemaCheck(schema)])) as Record<string, ToolSchemaCheck>;

const invalid = (message: string, suggestion = 'Send { "request": { "prompt": [...], "tools": [...] } } as docs/LLM.md "The host proxy" shows.') => new RegistryError(400, 'INVALID_AGENT_REQUEST', message, suggestion);
const at = (path: string, message: string) => invalid(`The step request is invalid at ${path || '/'}: ${message.replace(/\.$/, '')}.`);

/** Checks a step body strictly: the envelope, then every prompt part against its role's part schemas. */
function checkStep(body: unknown): asserts body is { group?: string; request: Record<string, unknown> } {
  const problem = stepCheck.check(body);
  if (problem) throw at(problem.path, problem.message);
  const request = (body as { request: { prompt: { role: string; content: unknown }[]; toolChoice?: { type: string; toolName?: string } } }).request;
  request.prompt.forEach((m, i) => {
    const where = `/request/prompt/${i}/content`;
    if (m.role === 'system') {
      if (typeof m.content !== 'string') throw at(where, "a system message's content must be a string");
      return;
    }
    if (!Array.isArray(m.content)) throw at(where, `${m.role === 'user' ? 'a' : 'an'} ${m.role} message's content must be a list of parts`);
    const allowed = ROLE_PARTS[m.role]!;
    m.content.forEach((p: unknown, j) => {
      const type = (p as { type?: unknown } | null)?.type;
      if (typeof type !== 'string' || !(allowed as readonly string[]).includes(type)) throw at(`${where}/${j}/type`, `${m.role === 'user' ? 'a' : 'an'} ${m.role} message may hold only ${allowed.join(' and ')} parts`);
      const partProblem = partChecks[type]!.check(p);
      if (partProblem) throw at(`${where}/${j}${partProblem.path === '/' ? '' : partProblem.path}`, partProblem.message);
      const output = (p as { output?: { type: string; value: unknown } }).output;
      if (output && (output.type === 'text' || output.type === 'error-text') && (typeof output.value !== 'string' || output.value.length > TEXT.maxLength)) throw at(`${where}/${j}/output/value`, `a ${output.type} output's value must be a string of at most ${TEXT.maxLength} characters`);
    });
  });
  if (request.toolChoice?.type === 'tool' && request.toolChoice.toolName === undefined) throw at('/request/toolChoice', 'a toolChoice of type "tool" needs its toolName');
}

/** The wire request rebuilt from checked fields only: no provider options or headers, `maxOutputTokens` clamped. */
function toStepRequest(body: { request: Record<string, unknown> }, maxOutputTokens: number): StepRequest {
  type Loose = Record<string, any>;
  const r = body.request as Loose;
  const prompt = (r.prompt as Loose[]).map((m): LanguageModelV3Message => {
    if (m.role === 'system') return { role: 'system', content: m.content };
    const content = (m.content as Loose[]).map((p) =>
      p.type === 'text' ? { type: 'text', text: p.text } : p.type === 'tool-call' ? { type: 'tool-call', toolCallId: p.toolCallId, toolName: p.toolName, input: p.input } : { type: 'tool-result', toolCallId: p.toolCallId, toolName: p.toolName, output: { type: p.output.type, value: p.output.value } },
    );
    return { role: m.role, content } as LanguageModelV3Message;
  });
  const tools = (r.tools as Loose[]).map((t): LanguageModelV3FunctionTool => ({ type: 'function', name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), inputSchema: t.inputSchema }));
  const names = new Set(tools.map((t) => t.name));
  if (names.size !== tools.length) throw invalid('Two tools of the request have the same name.', 'Give every tool its own name.');
  const choice = r.toolChoice as Loose | undefined;
  if (choice?.type === 'tool' && !names.has(choice.toolName)) throw invalid(`toolChoice names "${choice.toolName}", which is not one of the request's tools.`, 'Name one of the tools, or use { "type": "auto" }.');
  return {
    prompt,
    tools,
    ...(choice ? { toolChoice: (choice.type === 'tool' ? { type: 'tool', toolName: choice.toolName } : { type: choice.type }) as LanguageModelV3ToolChoice } : {}),
    maxOutputTokens: Math.min(typeof r.maxOutputTokens === 'number' ? r.maxOutputTokens : maxOutputTokens, maxOutputTokens),
  };
}

/** The step parts a page needs, without provider metadata; others (raw chunks, response metadata) stay on the server. */
const FORWARDED = new Set(['text-start', 'text-delta', 'text-end', 'reasoning-start', 'reasoning-delta', 'reasoning-end', 'tool-input-start', 'tool-input-delta', 'tool-input-end', 'tool-call', 'finish', 'restart', 'route']);

/**
 * A value as one NDJSON line, its strings redacted *before* serialisation: redacting the JSON
 * text instead would miss a key whose serialised form differs (JSON escapes a quote or a backslash).
 */
const ndjson = (value: unknown): string => `${JSON.stringify(redactor.redactDeep(value))}\n`;

/** One NDJSON line of a part (redacted), or undefined for a part that is not forwarded. */
function wireLine(part: StepPart): string | undefined {
  if (!FORWARDED.has(part.type)) return undefined;
  const { providerMetadata: _metadata, ...rest } = part as StepPart & { providerMetadata?: unknown };
  return ndjson(rest);
}

/** The error line that ends a stream. */
const errorLine = (e: LlmError) => ndjson({ type: 'error', error: e.toJSON() });

/** The message a page shows when the server has no LLM. */
const NOT_CONFIGURED = {
  message: 'This registry has no LLM configured, so the agent proxy cannot answer.',
  suggestion: 'Set OPENAI_API_KEY and VIB3_LLM_PROVIDER=openai (or VIB3_LLM_CONFIG=<router JSON file>) in the environment of `vib3 registry serve`, then restart it (docs/LLM.md "The host proxy").',
};

/** Why the proxy cannot answer: no LLM configured, or (`unavailable`) one that could not be built at start. */
function notConfigured(unavailable: { code: string; message: string; suggestion: string } | undefined): { message: string; suggestion: string } {
  if (!unavailable) return NOT_CONFIGURED;
  return {
    message: redactor.redact(`This registry's LLM configuration cannot run, so the agent proxy cannot answer (${unavailable.code}: ${unavailable.message.replace(/\.$/, '')}).`),
    suggestion: redactor.redact(`${unavailable.suggestion.replace(/\.$/, '')}; then restart \`vib3 registry serve\` (docs/LLM.md "The host proxy").`),
  };
}

/**
 * CORS of the proxy: any origin, bearer tokens only (never cookies), `Retry-After` readable.
 * `createApp` applies it to `/v1/agent/*` before its per-address limiter.
 */
export const agentCors: MiddlewareHandler = cors({ origin: '*', allowMethods: ['GET', 'POST'], allowHeaders: ['Authorization', 'Content-Type'], exposeHeaders: ['Retry-After'], maxAge: 600 });

/** The `user` of a tokens request; 400 `INVALID_AGENT_USER` unless it is one {@link AGENT_USER_PATTERN} allows. */
function agentUser(body: Record<string, unknown>): string {
  const user = body.user;
  if (typeof user !== 'string' || !AGENT_USER_PATTERN.test(user)) throw new RegistryError(400, 'INVALID_AGENT_USER', '`user` must be 1–128 of A-Z a-z 0-9 _ . @ + -.', 'Send the host\'s user id, e.g. { "user": "alice" }.');
  return user;
}

/** A principal that may use the proxy: an agent token's user, or the admin. */
type ProxyPrincipal = Extract<Principal, { kind: 'agent' | 'admin' }>;

/** What the step route's handlers share: the caller, once authenticated. */
type AgentEnv = { Variables: { who: ProxyPrincipal } };

/** The step budget a principal counts against: all agent tokens of one user share one. */
const principalKey = (who: ProxyPrincipal): string => (who.kind === 'agent' ? `agent:${who.user}` : 'admin');

/** The routes of the LLM proxy (mount at `/v1/agent`, after {@link agentCors}). `log` receives failed steps (code, status, deployment). */
export function agentRoutes(ctx: RegistryContext, log: (message: string) => void = (m) => console.error(m)): Hono<AgentEnv> {
  const app = new Hono<AgentEnv>();
  const settings = () => ctx.settings.agent ?? DEFAULT_AGENT_SETTINGS;
  // Per token principal (set by the step route before it), not per address.
  const stepLimit = rateLimit(() => settings().requestsPerMinute, {
    key: (c) => principalKey(c.get('who') as ProxyPrincipal),
    message: (n) => `Too many model steps for this user (more than ${n} a minute).`,
    now: () => ctx.now().getTime(),
  });

  /** Any valid token's principal; 401 `UNAUTHORIZED` otherwise. */
  const caller = async (c: Context): Promise<Principal> => {
    try {
      return await authenticateAny(ctx.db, bearer(c.req.header('authorization')), ctx.now());
    } catch (err) {
      if (!(err instanceof RegistryError) || err.status !== 401) throw err;
      c.header('WWW-Authenticate', 'Bearer realm="vib3-agent"');
      throw new RegistryError(401, 'UNAUTHORIZED', `The agent proxy needs a valid bearer token (${err.code}: ${err.message})`, 'Send Authorization: Bearer <token>: an agent token the registry admin issued for the user (POST /v1/agent/tokens), or the admin token.');
    }
  };

  /** The caller, when it may use the proxy: an agent token or the admin token. Anything else (a publisher token) is 403 `AGENT_TOKEN_REQUIRED`. */
  const proxyCaller = async (c: Context): Promise<ProxyPrincipal> => {
    const who = await caller(c);
    if (who.kind === 'agent' || who.kind === 'admin') return who;
    throw new RegistryError(403, 'AGENT_TOKEN_REQUIRED', 'The agent proxy takes agent tokens (and the admin token) only: a publisher token may not use the registry\'s LLM.', 'Ask the registry admin for an agent token (POST /v1/agent/tokens) and send it as Authorization: Bearer <token>.');
  };

  app.get('/', async (c) => {
    await proxyCaller(c);
    const agent = settings();
    const router: Router | undefined = agent.router;
    if (!router) {
      const why = notConfigured(agent.unavailable);
      return c.json({ configured: false, groups: [], deployments: [], message: `${why.message} ${why.suggestion}` });
    }
    // Ids, providers and models only: never base URLs (they may carry credentials) nor key names' values.
    return c.json({ configured: true, groups: Object.keys(router.config.groups), deployments: router.config.deployments.map((d) => ({ id: d.id, provider: d.provider, model: d.model })) });
  });

  app.post('/tokens', async (c) => {
    requireAdmin(await caller(c));
    const body = await readJson(c, ctx.settings.maxJsonBytes);
    const user = agentUser(body);
    const seconds = body.expiresInSeconds ?? 86_400;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 60 || seconds > 31_536_000) throw new RegistryError(400, 'INVALID_EXPIRY', '`expiresInSeconds` must be an integer from 60 to 31536000 (a year).', 'Omit it for a day, or send e.g. { "expiresInSeconds": 3600 }.');
    const expiresAt = new Date(ctx.now().getTime() + seconds * 1000);
    const token = await issueToken(ctx.db, { kind: 'agent', user }, { expiresAt });
    return c.json({ token, user, expiresAt: expiresAt.toISOString() }, 201);
  });

  app.post('/tokens/revoke', async (c) => {
    requireAdmin(await caller(c));
    const body = await readJson(c, ctx.settings.maxJsonBytes);
    const user = agentUser(body);
    const revoked = await revokeAgentTokens(ctx.db, user, ctx.now());
    return c.json({ user, revoked });
  });

  app.post(
    '/step',
    async (c, next) => {
      c.set('who', await proxyCaller(c));
      await next();
    },
    stepLimit,
    async (c) => {
      const who = c.get('who');
      const agent = settings();
      const router = agent.router;
      if (!router) {
        const why = notConfigured(agent.unavailable);
        throw new RegistryError(503, 'LLM_NOT_CONFIGURED', why.message, why.suggestion);
      }
      const body: unknown = await readJson(c, MAX_STEP_BYTES);
      checkStep(body);
      const group = body.group ?? router.defaultGroup;
      if (!router.config.groups[group]) throw invalid(`There is no model group "${group}".`, `Use one of: ${Object.keys(router.config.groups).join(', ')}, or leave group out.`);
      const request = toStepRequest(body, agent.maxOutputTokens);

      // The client's disconnect aborts the upstream model call.
      const upstream = new AbortController();
      const client = c.req.raw.signal;
      const onClientGone = () => upstream.abort();
      if (client.aborted) upstream.abort();
      else client.addEventListener('abort', onClientGone, { once: true });
      const parts = router.model(group).stream(request, upstream.signal)[Symbol.asyncIterator]();
      const encoder = new TextEncoder();
      const done = () => client.removeEventListener('abort', onClientGone);
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          let last: string | undefined;
          try {
            for (;;) {
              const next = await parts.next();
              if (next.done) break;
              const line = wireLine(next.value);
              if (line) return controller.enqueue(encoder.encode(line));
            }
          } catch (err) {
            if (!upstream.signal.aborted) {
              const e = classifyLlmError(err);
              // Code, status and deployment only: the provider's message may echo prompt text (VIB3_DEBUG adds it).
              const detail = process.env.VIB3_DEBUG ? `: ${e.message}` : '';
              log(redactor.redact(`registry: agent step (${who.kind}) failed: ${e.code}${e.status !== undefined ? ` HTTP ${e.status}` : ''}${e.deployment ? ` (${e.deployment})` : ''}${detail}`));
              last = errorLine(e);
            }
          }
          done();
          // After the client left, the stream is already cancelled: nothing more to write.
          if (upstream.signal.aborted) return;
          if (last) controller.enqueue(encoder.encode(last));
          controller.close();
        },
        cancel() {
          done();
          upstream.abort();
          void parts.return?.(undefined).catch(() => undefined);
        },
      });
      return c.body(stream, 200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    },
  );
  return app;
}
