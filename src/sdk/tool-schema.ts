import { Validator, type Schema } from '@cfworker/json-schema';
import { estimateBytes, nestedDeeperThan } from './contract.js';

/** Limits on what a tool call may carry, checked before the schema. */
export const TOOL_IO_LIMITS = {
  /** Largest accepted input or structured output (estimated bytes). */
  maxBytes: 256 * 1024,
  /** Deepest accepted nesting of objects and arrays. */
  maxDepth: 32,
} as const;

/** A failed check: where in the value and what is wrong. */
export interface ToolValueProblem {
  path: string;
  message: string;
}

/**
 * Checks a tool's input (or structured output) against its JSON Schema (2020-12) without code
 * generation (safe under a CSP without 'unsafe-eval'). Size and depth are checked first, so a
 * huge or deeply nested value is refused before the validator walks it.
 */
export class ToolSchemaCheck {
  private validator: Validator | undefined;
  private schemaError: string | undefined;

  constructor(private readonly schema: unknown) {}

  /** Returns the first problem, or undefined when the value is acceptable. */
  check(value: unknown): ToolValueProblem | undefined {
    const bytes = estimateBytes(value, TOOL_IO_LIMITS.maxBytes + 1);
    if (bytes > TOOL_IO_LIMITS.maxBytes) return { path: '/', message: `it takes about ${bytes} bytes; the limit is ${TOOL_IO_LIMITS.maxBytes}` };
    if (nestedDeeperThan(value, TOOL_IO_LIMITS.maxDepth)) return { path: '/', message: `it nests deeper than ${TOOL_IO_LIMITS.maxDepth} levels` };
    const validator = this.compile();
    if (!validator) return { path: '/', message: `the tool's schema is unusable (${this.schemaError})` };
    let result: ReturnType<Validator['validate']>;
    try {
      result = validator.validate(value);
    } catch (err) {
      return { path: '/', message: `the schema could not be applied (${(err as Error).message})` };
    }
    if (result.valid) return undefined;
    const first = result.errors.find((e) => !['properties', '$ref', 'items', 'allOf', 'anyOf', 'oneOf'].includes(e.keyword)) ?? result.errors[0]!;
    return { path: first.instanceLocation.replace(/^#/, '') || '/', message: first.error };
  }

  private compile(): Validator | undefined {
    if (this.validator || this.schemaError) return this.validator;
    try {
      if (typeof this.schema !== 'object' || this.schema === null || Array.isArray(this.schema)) throw new Error('not an object');
      this.validator = new Validator(this.schema as Schema, '2020-12', false);
    } catch (err) {
      this.schemaError = (err as Error).message;
    }
    return this.validator;
  }
}

/** Compiled checks of a set of tools' schemas, made on first use. */
export function toolSchemaChecks(schemaOf: (tool: string, which: 'input' | 'output') => unknown): (tool: string, which: 'input' | 'output') => ToolSchemaCheck | undefined {
  const cache = new Map<string, ToolSchemaCheck | undefined>();
  return (tool, which) => {
    const key = `${which}:${tool}`;
    if (!cache.has(key)) {
      const schema = schemaOf(tool, which);
      cache.set(key, schema === undefined ? undefined : new ToolSchemaCheck(schema));
    }
    return cache.get(key);
  };
}
