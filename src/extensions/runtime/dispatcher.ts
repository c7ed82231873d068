import type { Endpoint } from 'comlink';
import { ExtensionError } from './errors.js';
import { errorWireValue, installErrorWire } from './wire.js';
import { estimateBytes, mesh4DProblem, type CapabilityName } from '../../sdk/contract.js';

export { estimateBytes } from '../../sdk/contract.js';

/** A method the host offers to extensions: the capability it needs and its argument check. */
export interface HostMethod {
  /** Capability the user must have granted (none: every extension may call it). */
  capability?: CapabilityName;
  /** Returns a problem description, or undefined when the arguments are acceptable. */
  validate(args: readonly unknown[]): string | undefined;
}

/** Keys that are refused anywhere in a call's path or arguments (prototype pollution). */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
const primitive = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v);

/** The host API extensions can call, by dotted path. Everything else is refused. */
export const HOST_METHODS: Readonly<Record<string, HostMethod>> = {
  log: { validate: (a) => (a.length <= 20 && a.every(primitive) ? undefined : 'log takes up to 20 strings, numbers or booleans') },
  'rendering.getParams': { capability: 'rendering', validate: (a) => (a.length === 0 ? undefined : 'getParams takes no arguments') },
  'rendering.setParams': {
    capability: 'rendering',
    validate: (a) => (a.length === 1 && isPlainObject(a[0]) && Object.values(a[0]).every(primitive) ? undefined : 'setParams takes one object of parameter values (numbers or strings)'),
  },
  'geometry.publish': {
    capability: 'geometry',
    validate: (a) => {
      const problem = a.length === 1 ? mesh4DProblem(a[0]) : 'publish takes one mesh';
      return problem && `publish takes { vertices: Float32Array (xyzw), edges: Uint32Array, cells?: Uint32Array }: ${problem}`;
    },
  },
  'ui.update': { capability: 'ui', validate: (a) => (a.length === 0 ? undefined : 'update takes no arguments') },
  'telemetry.track': {
    capability: 'telemetry',
    validate: ([event, data]) => (typeof event === 'string' && event.length <= 100 && (data === undefined || (isPlainObject(data) && Object.values(data).every(primitive))) ? undefined : 'track takes an event name (<= 100 chars) and an optional object of strings, numbers or booleans'),
  },
};

/** Limits per extension. */
export interface DispatchLimits {
  /** Largest accepted message (estimated bytes of the arguments), default 1 MiB. */
  maxMessageBytes: number;
  /** Calls accepted per second (a sliding one-second window), default 200. */
  maxCallsPerSecond: number;
}

export const DEFAULT_LIMITS: DispatchLimits = { maxMessageBytes: 1 << 20, maxCallsPerSecond: 200 };

/** Finds a forbidden key anywhere in a value (own keys of plain objects and arrays), or undefined. */
export function findForbiddenKey(value: unknown, depth = 0): string | undefined {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || depth > 32) return undefined;
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) return key;
    const found = findForbiddenKey((value as Record<PropertyKey, unknown>)[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

interface WireMessage {
  id?: string;
  type?: string;
  path?: unknown;
  argumentList?: { type?: string; value?: unknown }[];
}

/**
 * Checks one comlink message from an extension. Only calls (APPLY) of allowlisted paths with a
 * granted capability, plain arguments (no proxies) within the size limit and free of forbidden
 * keys pass; proxy releases pass. Returns the refusal, or undefined.
 */
export function checkCall(message: WireMessage, granted: ReadonlySet<string>, limits: DispatchLimits): ExtensionError | undefined {
  const path = Array.isArray(message.path) ? message.path : [];
  if (message.type === 'RELEASE' && path.length === 0) return undefined;
  const bad = path.find((p) => typeof p !== 'string' || FORBIDDEN_KEYS.has(p));
  if (bad !== undefined) return new ExtensionError('FORBIDDEN_PATH', `The call path contains "${String(bad)}".`, 'Call host methods by name only.');
  const name = path.join('.');
  const method = Object.prototype.hasOwnProperty.call(HOST_METHODS, name) ? HOST_METHODS[name] : undefined;
  if (message.type !== 'APPLY' || !method) return new ExtensionError('UNKNOWN_METHOD', `"${name || '(root)'}" (${String(message.type)}) is not a host method.`, `Call one of: ${Object.keys(HOST_METHODS).join(', ')}.`);
  if (method.capability && !granted.has(method.capability)) {
    return new ExtensionError('CAPABILITY_DENIED', `${name} needs the "${method.capability}" capability, which is not granted.`, `Declare "${method.capability}" in extension.json and ask the user to grant it.`);
  }
  const wire = Array.isArray(message.argumentList) ? message.argumentList : [];
  if (wire.some((w) => w?.type !== 'RAW')) return new ExtensionError('INVALID_ARGUMENTS', `${name}: functions and proxies cannot be passed to the host.`, 'Pass plain data.');
  const args = wire.map((w) => w.value);
  const bytes = estimateBytes(args, limits.maxMessageBytes + 1);
  if (bytes > limits.maxMessageBytes) return new ExtensionError('MESSAGE_TOO_LARGE', `${name}: the arguments take about ${bytes} bytes; the limit is ${limits.maxMessageBytes}.`, 'Send less data per call.');
  const forbidden = findForbiddenKey(args);
  if (forbidden) return new ExtensionError('FORBIDDEN_PATH', `${name}: the arguments contain the key "${forbidden}".`, 'Remove __proto__ / constructor / prototype keys from the data.');
  const problem = method.validate(args);
  if (problem) return new ExtensionError('INVALID_ARGUMENTS', `${name}: ${problem}.`, 'Check the SDK types for this method.');
  return undefined;
}

/**
 * Wraps the port an extension calls the host through: every message is checked by
 * {@link checkCall} and by the rate limit before comlink sees it; a refused call is answered
 * with a typed error (the caller's promise rejects with its code), and `onRefused` is told.
 */
export function guardedEndpoint(
  port: MessagePort,
  options: { granted(): ReadonlySet<string>; limits?: Partial<DispatchLimits>; onRefused?(error: ExtensionError): void },
): Endpoint {
  installErrorWire();
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const calls: number[] = [];
  const wrapped = new Map<EventListenerOrEventListenerObject, EventListener>();
  const refuse = (id: string | undefined, error: ExtensionError) => {
    options.onRefused?.(error);
    if (id !== undefined) port.postMessage({ id, type: 'HANDLER', name: 'throw', value: errorWireValue(error) });
  };
  return {
    postMessage: (message: unknown, transfer?: Transferable[]) => port.postMessage(message, transfer ?? []),
    addEventListener(type: string, listener: EventListenerOrEventListenerObject) {
      const guard: EventListener = (event) => {
        const data = (event as MessageEvent).data as WireMessage;
        const now = performance.now();
        while (calls.length && now - calls[0]! > 1000) calls.shift();
        if (calls.length >= limits.maxCallsPerSecond) {
          refuse(data?.id, new ExtensionError('RATE_LIMITED', `More than ${limits.maxCallsPerSecond} host calls in one second.`, 'Batch the calls or call less often.'));
          return;
        }
        calls.push(now);
        const error = checkCall(data ?? {}, options.granted(), limits);
        if (error) return refuse(data?.id, error);
        if (typeof listener === 'function') listener(event);
        else listener.handleEvent(event);
      };
      wrapped.set(listener, guard);
      port.addEventListener(type, guard);
    },
    removeEventListener(type: string, listener: EventListenerOrEventListenerObject) {
      const guard = wrapped.get(listener);
      if (guard) port.removeEventListener(type, guard);
      wrapped.delete(listener);
    },
    start: () => port.start(),
  } as Endpoint;
}
