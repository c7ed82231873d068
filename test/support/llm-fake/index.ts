// A loopback stand-in for the hosted LLM APIs, which cannot run here, speaking their published
// wire formats over node:http so the official SDKs (and our LLM layer over them) can be tested:
//   POST /v1/chat/completions  OpenAI Chat Completions, or an OpenAI-compatible server's flavour
//                              of it (options.flavor: ollama, llamacpp, vllm) — openai-chat.ts
//   POST /v1/responses         OpenAI Responses — openai-responses.ts
//   POST /v1/messages          Anthropic Messages — anthropic.ts
// `stream: true` gets SSE, anything else one JSON body, as the real APIs answer. Each request
// takes the next scripted turn: text and tool calls (streamed in fragments of `fragment`
// characters), an HTTP error in the provider's format, an in-stream error, or a stream cut off
// mid-way. Before a turn is taken the request is checked as the real API checks it: the API key
// (when options.apiKey is set), required fields and headers, tool names, the context window;
// a request refused there does not use up a turn. `requests` records every request to the three
// paths, refused ones too (a body that is not JSON is recorded as its raw text).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FILLER, roughTokens, type Ctx, type Dialect, type JsonReply } from './common.js';
import { anthropic } from './anthropic.js';
import { openaiChat } from './openai-chat.js';
import { openaiResponses } from './openai-responses.js';
import type { FakeProvider, FakeRequest, FakeTurn, LlmFake, LlmFakeOptions, TextTurn } from './types.js';

export type { FakeProvider, FakeRequest, FakeToolCall, FakeTurn, LlmFake, LlmFakeOptions } from './types.js';

const ROUTES: Record<string, { provider: FakeProvider; dialect: Dialect }> = {
  '/v1/chat/completions': { provider: 'openai-chat', dialect: openaiChat },
  '/v1/responses': { provider: 'openai-responses', dialect: openaiResponses },
  '/v1/messages': { provider: 'anthropic', dialect: anthropic },
};

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/** Resolves when the chunk is handed to the socket, or the response is gone. */
const write = (res: ServerResponse, chunk: string) =>
  new Promise<void>((resolve) => {
    if (res.destroyed) return resolve();
    const done = () => {
      res.off('close', done);
      resolve();
    };
    res.once('close', done);
    res.write(chunk, done);
  });

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function sendJson(res: ServerResponse, reply: JsonReply) {
  const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** Writes frames one by one (each its own write, as a server flushing tokens does). With `cutAfter`, stops after that many (never the last, terminating one) and drops the connection. */
async function sendFrames(res: ServerResponse, headers: Record<string, string>, frames: string[], cutAfter?: number) {
  res.writeHead(200, headers);
  res.flushHeaders();
  const count = cutAfter === undefined ? frames.length : Math.max(0, Math.min(Math.floor(cutAfter), frames.length - 1));
  for (let i = 0; i < count && !res.destroyed; i++) {
    await write(res, frames[i]!);
    await tick();
  }
  if (cutAfter === undefined) res.end();
  else res.destroy();
}

/** A JSON answer whose connection drops half-way through the body. */
async function sendCutJson(res: ServerResponse, reply: JsonReply) {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(body)) });
  await write(res, body.slice(0, Math.floor(body.length / 2)));
  res.destroy();
}

export async function startLlmFake(options: LlmFakeOptions = {}): Promise<LlmFake> {
  const queue: FakeTurn[] = [];
  const requests: FakeRequest[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse) {
    res.on('error', () => {}); // a client that hangs up mid-stream is not the fake's failure
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const route = ROUTES[path.replace(/\/+$/, '')];
    if (!route || req.method !== 'POST') {
      sendJson(res, { status: 404, headers: { 'content-type': 'application/json' }, body: { error: { message: `Invalid URL (${req.method} ${path})`, type: 'invalid_request_error', param: null, code: null } } });
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    let body: any = raw;
    let parsed = true;
    try {
      body = JSON.parse(raw);
    } catch {
      parsed = false;
    }
    const request: FakeRequest = { provider: route.provider, path, headers, body };
    requests.push(request);
    const { dialect } = route;
    const ctx: Ctx = {
      req: request,
      flavor: route.provider === 'openai-chat' ? (options.flavor ?? 'openai') : 'openai',
      contextWindow: options.contextWindow,
      promptTokens: parsed ? roughTokens(dialect.promptText(body)) : 0,
    };
    const refusal =
      (options.apiKey !== undefined ? dialect.authError(ctx, options.apiKey) : undefined) ??
      (parsed ? (dialect.validate(ctx) ?? dialect.contextError(ctx)) : dialect.badJson(ctx));
    if (refusal) return sendJson(res, refusal);

    let turn = queue.shift();
    for (let depth = 0; typeof turn === 'function' && depth < 10; depth++) turn = turn(request);
    if (turn === undefined || typeof turn === 'function') return sendJson(res, dialect.noTurn(ctx));

    const streamed = body?.stream === true;
    if ('status' in turn) return sendJson(res, dialect.statusError(turn, ctx));
    if ('streamError' in turn) {
      if (!streamed) return sendJson(res, dialect.errorJson(turn, ctx));
      const filler = dialect.frames(FILLER, ctx);
      const sent = filler.slice(0, Math.max(0, Math.min(Math.floor(turn.afterEvents ?? 0), filler.length - 1)));
      return sendFrames(res, dialect.streamHeaders(ctx), [...sent, ...dialect.errorFrames(turn, ctx, sent.length)]);
    }
    const text: TextTurn = turn;
    if (!streamed) return text.cutAfter === undefined ? sendJson(res, dialect.json(text, ctx)) : sendCutJson(res, dialect.json(text, ctx));
    return sendFrames(res, dialect.streamHeaders(ctx), dialect.frames(text, ctx), text.cutAfter);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, { status: 500, headers: { 'content-type': 'application/json' }, body: { error: { message: `llm-fake: ${String(error)}`, type: 'server_error', param: null, code: null } } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    script(...turns: FakeTurn[]) {
      queue.push(...turns);
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
