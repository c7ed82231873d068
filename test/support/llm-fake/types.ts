// The public types of the loopback LLM fake (see ./index.ts).

export type FakeProvider = 'openai-chat' | 'openai-responses' | 'anthropic';

export interface FakeToolCall {
  name: string;
  /** raw JSON text of the arguments; may be deliberately malformed */
  arguments: string;
}

export type FakeTurn =
  | {
      text?: string;
      toolCalls?: FakeToolCall[];
      usage?: { input: number; output: number };
      /** split text and argument JSON into fragments of this many chars (default 7, so fragments break inside keys/strings) */
      fragment?: number;
      /** anthropic: send ping events between blocks (default true) */
      ping?: boolean;
      /** finish reason override; default: tool calls → tool_calls / tool_use, else stop / end_turn */
      finish?: 'stop' | 'length' | 'tool_calls';
      /** cut the TCP stream after this many SSE events (no terminating event) */
      cutAfter?: number;
    }
  | { status: 429; retryAfter?: number /* seconds; sent as Retry-After header */; message?: string }
  | {
      status: 500 | 503 | 529 | 401 | 400;
      message?: string;
      /** for 400: 'context_length_exceeded' makes the provider-specific context-window error */
      code?: string;
    }
  | {
      streamError: { type: string; message: string };
      /** emit an in-stream error event after N events (Anthropic `event: error`; OpenAI chat: a data chunk with an `error` object; Responses: `error` / `response.failed` event) */
      afterEvents?: number;
    }
  | ((request: FakeRequest) => FakeTurn);

export interface FakeRequest {
  provider: FakeProvider;
  path: string;
  headers: Record<string, string>;
  body: any;
}

export interface LlmFakeOptions {
  /** expected API key: requests without it (Authorization: Bearer for OpenAI paths, x-api-key for Anthropic) get a 401 in the provider's error format. Default: no check. */
  apiKey?: string;
  /** openai-compatible flavour quirks on /v1/chat/completions: 'openai' (default), 'ollama', 'llamacpp', 'vllm' (see openai-chat.ts) */
  flavor?: 'openai' | 'ollama' | 'llamacpp' | 'vllm';
  /** model context window in tokens; a request whose rough token count (chars/4 of the JSON messages) exceeds it gets the provider's context-length 400 */
  contextWindow?: number;
}

export interface LlmFake {
  /** e.g. http://127.0.0.1:PORT/v1 — the base URL exactly as the official SDKs take it (OpenAI baseURL, Anthropic baseURL in the AI SDK, openai-compatible baseURL) */
  readonly baseURL: string;
  /** queue turns; each request to any provider path takes the next one; when the queue is empty the fake answers with a 500 whose message says "no scripted turn" */
  script(...turns: FakeTurn[]): void;
  /** every request received, in order (headers lower-cased) */
  readonly requests: FakeRequest[];
  close(): Promise<void>;
}

/** The plain (non-error) turn. */
export type TextTurn = Exclude<FakeTurn, ((request: FakeRequest) => FakeTurn) | { status: number } | { streamError: unknown }>;
export type StatusTurn = Extract<FakeTurn, { status: number }>;
export type StreamErrorTurn = Extract<FakeTurn, { streamError: unknown }>;
export type Flavor = NonNullable<LlmFakeOptions['flavor']>;
