/**
 * Validation of toolpack.json (browser-safe, eval-free): the JSON Schema (2020-12, interpreted by
 * @cfworker/json-schema, so it runs under a CSP without 'unsafe-eval'), then checks a schema
 * cannot express — MCP-valid, unique, namespaced tool names; `requires` within the extension's
 * declared capabilities; toolsets naming real tools; approval consistent with the annotations.
 */
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import validRange from 'semver/ranges/valid.js';
import schema from './schema/toolpack.schema.json' with { type: 'json' };
import type { Vib3ToolPack } from './toolpack.generated.js';
import { toolPackProblem as problem, type ToolPackProblem, type ToolPackProblemCode } from './problems.js';
import { isLegacyToolName, isValidToolName, normalizeToolName } from './names.js';

/** The JSON Schema (2020-12) of toolpack.json: the source of truth. */
export const toolPackSchema: Readonly<Record<string, unknown>> = schema;

/** The parts of an extension manifest the pack is checked against. */
export interface ToolPackExtension {
  /** The extension id: tools must be named `<id>.<tool>`. */
  id: string;
  /** The manifest's declared capabilities (keys are capability names). */
  capabilities: Readonly<Record<string, unknown>>;
}

/** Options of {@link validateToolPack}. */
export interface ToolPackValidationOptions {
  /** The extension the pack belongs to (its extension.json): enables the namespace and capability checks. */
  extension?: ToolPackExtension;
  /** Only the extension id (namespace check without capability check). Ignored when `extension` is given. */
  extensionId?: string;
}

/** The result of validating a toolpack.json. */
export interface ToolPackValidation {
  /** True when there is no problem of severity `error`. */
  valid: boolean;
  /** Every problem found, errors first. */
  problems: ToolPackProblem[];
  /** The pack, present when valid. */
  pack?: Vib3ToolPack;
}

let validator: Validator | undefined;
const SUMMARY_KEYWORDS = new Set(['properties', '$ref', 'items', 'prefixItems', 'allOf', 'anyOf', 'oneOf', 'additionalProperties', 'if', 'then', 'else', 'patternProperties', 'unevaluatedProperties']);
const INPUT_SCHEMA = /^\/tools\/\d+\/inputSchema(\/type)?$/;

/**
 * Validates a tool pack (object or JSON text) and returns every problem with a JSON pointer, a
 * stable code and a suggestion.
 */
export function validateToolPack(input: unknown, options: ToolPackValidationOptions = {}): ToolPackValidation {
  let doc = input;
  try {
    doc = typeof input === 'string' ? JSON.parse(input) : JSON.parse(JSON.stringify(input ?? null));
  } catch (err) {
    return { valid: false, problems: [problem('INVALID_JSON', '', `toolpack.json is not valid JSON: ${(err as Error).message}`)] };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return { valid: false, problems: [problem('NOT_AN_OBJECT', '', 'toolpack.json must contain a JSON object.')] };
  }
  validator ??= new Validator(schema as unknown as Schema, '2020-12', false);
  const problems = dedupe([...validator.validate(doc).errors.filter((e) => !SUMMARY_KEYWORDS.has(e.keyword)).map(toProblem), ...semanticProblems(doc as Record<string, unknown>, options)]);
  problems.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const valid = !problems.some((p) => p.severity === 'error');
  return valid ? { valid, problems, pack: doc as Vib3ToolPack } : { valid, problems };
}

function toProblem(e: OutputUnit): ToolPackProblem {
  const pointer = e.instanceLocation.replace(/^#/, '');
  const field = e.keyword === 'required' ? (/required property "(.+)"/.exec(e.error)?.[1] ?? '?') : '';
  const at = e.keyword === 'required' ? `${pointer}/${field.replace(/~/g, '~0').replace(/\//g, '~1')}` : pointer;
  if (INPUT_SCHEMA.test(at)) return problem('INPUT_SCHEMA_NOT_OBJECT', at.replace(/\/type$/, ''), `${at.replace(/\/type$/, '')} must be a JSON Schema with "type": "object".`);
  const codes: Record<string, ToolPackProblemCode> = { required: 'MISSING_FIELD', false: 'UNKNOWN_FIELD', type: 'WRONG_TYPE', pattern: 'INVALID_FORMAT', format: 'INVALID_FORMAT', minLength: 'TOO_SHORT', maxLength: 'TOO_LONG', minItems: 'TOO_FEW', maxItems: 'TOO_MANY', uniqueItems: 'DUPLICATE', minimum: 'OUT_OF_RANGE', maximum: 'OUT_OF_RANGE' };
  const code = codes[e.keyword] ?? 'INVALID_VALUE';
  if (code === 'MISSING_FIELD') return problem(code, at, `${field} is required${pointer ? ` in ${pointer}` : ''}.`);
  if (code === 'UNKNOWN_FIELD') return problem(code, at, `${at.split('/').pop() ?? ''} is not a known field here.`);
  return problem(code, at, `${at || 'the document'}: ${e.error}`);
}

function semanticProblems(pack: Record<string, unknown>, options: ToolPackValidationOptions): ToolPackProblem[] {
  const out: ToolPackProblem[] = [];
  const extId = options.extension?.id ?? options.extensionId;
  const declared = options.extension ? new Set(Object.keys(options.extension.capabilities ?? {})) : undefined;
  const compat = pack['compatibility'] as Record<string, unknown> | undefined;
  if (compat && typeof compat['kit'] === 'string' && validRange(compat['kit']) === null) {
    out.push(problem('INVALID_RANGE', '/compatibility/kit', `compatibility.kit "${compat['kit']}" is not a semver range.`));
  }
  if (declared && !declared.has('agent-tools')) {
    out.push(problem('CAPABILITY_NOT_DECLARED', '', `extension ${extId} does not declare the agent-tools capability its tool pack needs.`, 'error', 'Add capabilities["agent-tools"] (with a reason) to extension.json.'));
  }
  const tools = Array.isArray(pack['tools']) ? (pack['tools'] as unknown[]) : [];
  const seen = new Map<string, number>();
  tools.forEach((raw, i) => {
    if (!raw || typeof raw !== 'object') return;
    const tool = raw as Record<string, unknown>;
    const at = `/tools/${i}`;
    if (typeof tool['name'] === 'string') {
      const name = checkName(tool['name'], `${at}/name`, extId, out);
      const first = seen.get(name);
      if (first !== undefined) out.push(problem('TOOL_NAME_DUPLICATE', `${at}/name`, `tool name "${name}" is already used by /tools/${first}.`));
      else seen.set(name, i);
    }
    if (declared && Array.isArray(tool['requires'])) {
      tool['requires'].forEach((cap, j) => {
        if (typeof cap === 'string' && !declared.has(cap)) out.push(problem('CAPABILITY_NOT_DECLARED', `${at}/requires/${j}`, `tool requires "${cap}", which extension ${extId} does not declare.`));
      });
    }
    if (Array.isArray(tool['examples'])) out.push(...exampleProblems(tool, at));
    const hints = tool['annotations'] as Record<string, unknown> | undefined;
    if (hints?.['destructiveHint'] === true && tool['approval'] === 'never') {
      out.push(problem('APPROVAL_TOO_WEAK', `${at}/approval`, 'the tool is annotated destructiveHint: true but its approval is "never".', 'warning'));
    }
  });
  const toolsets = Array.isArray(pack['toolsets']) ? (pack['toolsets'] as unknown[]) : [];
  toolsets.forEach((set, i) => {
    const names = (set as Record<string, unknown> | null)?.['tools'];
    if (!Array.isArray(names)) return;
    names.forEach((n, j) => {
      if (typeof n === 'string' && !seen.has(normalizeToolName(extId, n))) out.push(problem('TOOLSET_UNKNOWN_TOOL', `/toolsets/${i}/tools/${j}`, `toolset names "${n}", which is not a tool of this pack.`));
    });
  });
  return out;
}

/** Examples whose input breaks the tool's inputSchema (or whose object output breaks its outputSchema). */
function exampleProblems(tool: Record<string, unknown>, at: string): ToolPackProblem[] {
  const out: ToolPackProblem[] = [];
  const check = (schema: unknown, value: unknown, pointer: string, what: string) => {
    if (!schema || typeof schema !== 'object' || Array.isArray(schema) || !value || typeof value !== 'object') return;
    let first: OutputUnit | undefined;
    try {
      const result = new Validator(schema as Schema, '2020-12', false).validate(value);
      first = result.valid ? undefined : (result.errors.find((e) => !SUMMARY_KEYWORDS.has(e.keyword)) ?? result.errors[0]);
    } catch {
      return; // an unusable schema is reported by the host when the tool is called
    }
    if (first) out.push(problem('EXAMPLE_INVALID', pointer, `the example's ${what} does not match the tool's ${what}Schema at ${first.instanceLocation.replace(/^#/, '') || '/'}: ${first.error}`));
  };
  (tool['examples'] as unknown[]).forEach((ex, j) => {
    const e = ex as Record<string, unknown> | null;
    check(tool['inputSchema'], e?.['input'], `${at}/examples/${j}/input`, 'input');
    if (e?.['output'] !== null && typeof e?.['output'] === 'object' && !Array.isArray(e['output'])) check(tool['outputSchema'], e['output'], `${at}/examples/${j}/output`, 'output');
  });
  return out;
}

/** Checks one tool name; returns the name as exported (legacy names normalized). */
function checkName(name: string, pointer: string, extId: string | undefined, out: ToolPackProblem[]): string {
  let effective = name;
  if (isLegacyToolName(name, extId)) {
    effective = normalizeToolName(extId, name);
    out.push(problem('TOOL_NAME_LEGACY', pointer, `"${name}" uses the old "/" namespace form; it is read as "${effective}".`, 'warning', `Rename the tool to "${effective}" (the "/" form is accepted for one minor version).`));
  }
  if (!isValidToolName(effective)) {
    out.push(problem('TOOL_NAME_INVALID', pointer, `"${effective}" is not a valid MCP tool name ([A-Za-z0-9_.-], 1-128 characters).`));
  } else if (extId !== undefined && !effective.startsWith(`${extId}.`)) {
    out.push(problem('TOOL_NAME_NOT_NAMESPACED', pointer, `"${effective}" is not namespaced with the extension id.`, 'error', `Rename it to "${extId}.${effective}".`));
  }
  return effective;
}

function dedupe(problems: ToolPackProblem[]): ToolPackProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.code}|${p.pointer}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
