// Error classes (issue 23, DESIGN §9): every coded error the kit raises maps to one class of the
// closed list, through the explicit table or a pattern rule — never through the `internal`
// fallback. The codes are found by scanning src/ and components/ for the shapes that raise them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_CLASSES, errorClassOf, errorInfo, isKnownErrorCode, type ErrorClass } from '../../src/telemetry/error-classes.js';
import { LLM_ERROR_CODES } from '../../src/agent/llm/errors.js';
import { INSTALLER_ERROR_CODES } from '../../src/marketplace/errors.js';
import { LICENSE_ERROR_CODES } from '../../src/marketplace/license/errors.js';
import { EXTENSION_ERROR_CODES } from '../../src/sdk/contract.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CODE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const LITERAL = /'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)'/g;

/** Codes deliberately classed `internal` (bugs and "no code" placeholders). */
const EXPECTED_INTERNAL = new Set(['AGENT_FAILED', 'ERROR', 'INTERNAL', 'INTERNAL_ERROR', 'INVALID_MIGRATIONS', 'NESTED_DATABASE_CALL', 'TOOL_FAILED', 'TRANSACTION_ABORTED', 'TRANSACTION_ENDED', 'UNEXPECTED']);

/** The coded error classes whose constructor takes the code as its first argument. */
const CODE_FIRST = [
  'Vib3Error', 'ExtensionError', 'InstallerError', 'LlmError', 'SupplyChainError', 'PreviewError', 'AgentToolError', 'CapabilityError', 'LicenseError',
  'AuditError', 'HeadlessError', 'EmbedError', 'BridgeError', 'AgentBridgeError', 'McpHttpError', 'ListingError', 'LinkError',
];
/**
 * Call shapes that raise a code, and which argument holds it: a constructor (`new X`), a helper
 * (`fail`, `usage`, …) or a method (`.requires`). `undefined`: the first of the first three
 * arguments that is a code literal on its own (helpers that put a status or close code first).
 */
const CALLS = new Map<string, (first: string) => number | undefined>([
  ...CODE_FIRST.map((c) => [`new ${c}`, () => 0] as const),
  ['new RegistryError', (first) => (/^\s*\d+\s*$/.test(first) ? 1 : 0)], // RegistryError(status, code, …); components' RegistryError(code, …)
  ['new CliError', () => 2], // CliError(message, exit, code, suggestion)
  ...['tufError', 'usageError', 'usage', 'badQuery', 'bad', 'fail', 'refusal', 'refuse', 'problem', 'toolPackProblem', 'err', 'finding', 'closeReason', 'toVib3Error', 'checkMesh', 'coded', '.requires', '.whenMissing', '.endPage'].map((f) => [f, () => undefined] as const),
]);

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : tsFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** The index after the string or template literal that starts at `i`. */
function skipString(src: string, i: number): number {
  const quote = src[i];
  let j = i + 1;
  while (j < src.length) {
    const c = src[j];
    if (c === '\\') j += 2;
    else if (c === quote) return j + 1;
    else if (quote === '`' && c === '$' && src[j + 1] === '{') j = skipGroup(src, j + 1);
    else j++;
  }
  return j;
}

/** The index after the bracket group that opens at `i`. */
function skipGroup(src: string, i: number): number {
  let depth = 0;
  for (let j = i; j < src.length; ) {
    const c = src[j]!;
    if (c === "'" || c === '"' || c === '`') { j = skipString(src, j); continue; }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c) && --depth === 0) return j + 1;
    j++;
  }
  return src.length;
}

/** The source text of argument `index` of the call whose `(` is at `open` (multi-line calls, nested templates). */
function argument(src: string, open: number, index: number): string | undefined {
  let start = open + 1;
  let n = 0;
  for (let j = start; j < src.length; ) {
    const c = src[j]!;
    if (c === "'" || c === '"' || c === '`') { j = skipString(src, j); continue; }
    if ('([{'.includes(c)) { j = skipGroup(src, j); continue; }
    if (c === ',' || c === ')') {
      if (n === index) return src.slice(start, j);
      if (c === ')') return undefined;
      n++;
      start = j + 1;
    }
    j++;
  }
  return undefined;
}

/** Every code `src/` and `components/` raise, with the shapes that found it. */
function scanCodes(): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const add = (code: string, shape: string) => {
    if (CODE.test(code)) (found.get(code) ?? found.set(code, new Set()).get(code)!).add(shape);
  };
  const addAll = (text: string, shape: string) => { for (const l of text.matchAll(LITERAL)) add(l[1]!, shape); };
  for (const file of [...tsFiles(join(ROOT, 'src')), ...tsFiles(join(ROOT, 'components'))]) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/(new\s+|\.)?(?<![\w$])([A-Za-z_$][\w$]*)\s*\(/g)) {
      const shape = (m[1] === '.' ? '.' : m[1] ? 'new ' : '') + m[2];
      const pick = CALLS.get(shape);
      if (!pick) continue;
      const open = m.index! + m[0].length - 1;
      const index = pick(argument(src, open, 0) ?? '');
      if (index !== undefined) {
        addAll(argument(src, open, index) ?? '', shape); // a literal, or the literals of `cond ? 'A' : 'B'`, `e.code ?? 'C'`
        continue;
      }
      for (let i = 0; i < 3; i++) {
        const lit = /^'([A-Z][A-Z0-9_]*)'$/.exec(argument(src, open, i)?.trim() ?? '');
        if (lit) { add(lit[1]!, shape); break; }
      }
    }
    // Object literals and types ({ code: 'X' }, { code: cond ? 'A' : 'B' }), fixed codes, assignments and fallbacks.
    for (const m of src.matchAll(/\bcode\??:\s*([^,;{}\n]*)/g)) addAll(m[1]!, 'code:');
    for (const m of src.matchAll(/\breadonly code = '([A-Z][A-Z0-9_]*)'/g)) add(m[1]!, 'readonly code');
    for (const m of src.matchAll(/\bcode\s*=(?!=)([^;\n]*)/g)) addAll(m[1]!, 'code =');
    for (const m of src.matchAll(/\.code\s*\?\?\s*'([A-Z][A-Z0-9_]*)'/g)) add(m[1]!, '.code ??');
    // Declared code lists: `export const X_ERROR_CODES = [...] as const`, `type XErrorCode = 'A' | 'B'`, and code tables.
    for (const m of src.matchAll(/export const \w+_ERROR_CODES = \[([\s\S]*?)\] as const/g)) addAll(m[1]!, '_ERROR_CODES');
    for (const m of src.matchAll(/type \w*(?:Error|Failure|Refusal|Problem)Code =([^;]*);/g)) addAll(m[1]!, 'type union');
    for (const m of src.matchAll(/const (?:RETRYABLE|FILE_CODES|REFUSAL_CODES)\b[^=]*=([^;\n]*)/g)) addAll(m[1]!, 'code table');
  }
  return found;
}

const scanned = scanCodes();

test('completeness: every code the kit raises maps to a class through the table or a rule, not the internal fallback', () => {
  assert.ok(scanned.size > 350, `the scan found only ${scanned.size} codes: a regex no longer matches the code`);
  const byShape = new Map<string, number>();
  for (const shapes of scanned.values()) for (const s of shapes) byShape.set(s, (byShape.get(s) ?? 0) + 1);
  const silent = [...CODE_FIRST.map((c) => `new ${c}`), 'new RegistryError', 'new CliError', 'code:', '_ERROR_CODES', 'type union'].filter((s) => !byShape.get(s));
  assert.deepEqual(silent, [], `these shapes found no code (their regex broke, or the class was renamed): ${silent.join(', ')}`);
  assert.ok(byShape.get('new RegistryError')! > 60, `RegistryError calls gave ${byShape.get('new RegistryError')} codes`);
  assert.ok(byShape.get('new CliError')! > 40, `CliError calls gave ${byShape.get('new CliError')} codes`);

  const unknown = [...scanned].filter(([code]) => !isKnownErrorCode(code)).map(([code, shapes]) => `${code} (${[...shapes].join(', ')})`);
  assert.deepEqual(unknown, [], `codes that fall through to "internal"; add them to EXPLICIT or a rule in src/telemetry/error-classes.ts:\n  ${unknown.join('\n  ')}`);
  const internal = [...scanned.keys()].filter((code) => errorClassOf(code) === 'internal' && !EXPECTED_INTERNAL.has(code));
  assert.deepEqual(internal, [], `codes classed internal without being listed as such: ${internal.join(', ')}`);
});

test('completeness: the declared code lists (LLM, installer, license, extension host) are all classified', () => {
  for (const [name, codes] of Object.entries({ LLM_ERROR_CODES, INSTALLER_ERROR_CODES, LICENSE_ERROR_CODES, EXTENSION_ERROR_CODES })) {
    const missing = codes.filter((c: string) => !isKnownErrorCode(c));
    assert.deepEqual(missing, [], `${name}: ${missing.join(', ')}`);
    const notScanned = codes.filter((c: string) => !scanned.has(c));
    assert.deepEqual(notScanned, [], `${name} codes the scan missed: ${notScanned.join(', ')}`);
  }
});

test('the closed list: 12-18 snake_case classes, each with a description, a one-sentence action and retryable', () => {
  const classes = Object.keys(ERROR_CLASSES);
  assert.ok(classes.length >= 12 && classes.length <= 18, `${classes.length} classes`);
  for (const [name, info] of Object.entries(ERROR_CLASSES)) {
    assert.match(name, /^[a-z]+(?:_[a-z]+)*$/, name);
    assert.ok(info.description.trim().length > 10, `${name}.description`);
    assert.ok(info.action.trim().length > 10, `${name}.action`);
    assert.match(info.action, /^[A-Z][^.]*(?:\.[a-z0-9"][^.]*)*\.$/, `${name}.action is one sentence ending with a period`);
    assert.equal(typeof info.retryable, 'boolean', `${name}.retryable`);
  }
  assert.equal(new Set(Object.values(ERROR_CLASSES).map((c) => c.action)).size, classes.length, 'every class has its own action');
  assert.ok('internal' in ERROR_CLASSES);
});

test('errorClassOf stays inside the closed list, falls back to internal and never throws', () => {
  const classes = new Set(Object.keys(ERROR_CLASSES));
  const weird = ['', 'x', 'lower_case', 'NOT A CODE', 'Z'.repeat(10_000), 'SOME_NEW_THING', '__proto__', 'constructor', 'toString', undefined, null, 42, {}] as unknown as string[];
  for (const code of [...scanned.keys(), ...weird]) {
    const cls = errorClassOf(code);
    assert.ok(classes.has(cls), `${String(code)} -> ${cls}`);
  }
  for (const code of ['SOME_NEW_THING', 'lower_case', '', '__proto__', 'constructor', undefined as unknown as string]) {
    assert.equal(errorClassOf(code), 'internal', String(code));
    assert.equal(isKnownErrorCode(code), false, String(code));
  }
});

test('errorInfo carries the class, its action and retryable', () => {
  for (const code of ['LLM_RATE_LIMITED', 'SIGNATURE_INVALID', 'NO_SUCH_CODE_EVER']) {
    const info = errorInfo(code);
    const cls: ErrorClass = errorClassOf(code);
    assert.deepEqual(info, { errorClass: cls, action: ERROR_CLASSES[cls].action, retryable: ERROR_CLASSES[cls].retryable });
  }
  assert.equal(errorInfo('RATE_LIMITED').retryable, true);
  assert.equal(errorInfo('APPROVAL_DENIED').retryable, false);
  assert.equal(errorInfo('NO_SUCH_CODE_EVER').errorClass, 'internal');
});

test('spot checks of meaningful mappings', () => {
  const expected: Record<string, ErrorClass> = {
    APPROVAL_DENIED: 'approval_denied', APPROVAL_REQUIRED: 'approval_denied', CONSENT_DENIED: 'approval_denied',
    LLM_RATE_LIMITED: 'rate_limited', RATE_LIMITED: 'rate_limited', TOO_MANY_ATTEMPTS: 'rate_limited',
    SIGNATURE_INVALID: 'integrity', TUF_ROLLBACK: 'integrity', TUF_EXPIRED: 'integrity', SRI_MISMATCH: 'integrity', CACHE_CORRUPT: 'integrity', AUDIT_EDITED: 'integrity', UNSIGNED: 'integrity',
    LLM_SPEND_CAP: 'quota_exceeded', LLM_BUDGET_EXHAUSTED: 'quota_exceeded', TOOL_CALL_LIMIT: 'quota_exceeded', MESSAGE_TOO_LARGE: 'quota_exceeded', LLM_CONTEXT_TOO_LONG: 'quota_exceeded',
    WEBGPU_UNAVAILABLE: 'unsupported', WEBGL2_UNAVAILABLE: 'unsupported', NO_BACKEND: 'unsupported', INCOMPATIBLE: 'unsupported', CORE_VERSION_MISMATCH: 'unsupported',
    TOKEN_EXPIRED: 'unauthenticated', TOKEN_INVALID: 'unauthenticated', LLM_AUTH_FAILED: 'unauthenticated', PAIRING_CODE_EXPIRED: 'unauthenticated',
    EXTENSION_NOT_FOUND: 'not_found', VERSION_NOT_FOUND: 'not_found', UNKNOWN_PARAM: 'not_found', UNKNOWN_TOOL: 'not_found', LICENSE_NOT_FOUND: 'not_found', TUF_NOT_FOUND: 'not_found',
    INVALID_PARAM: 'invalid_input', MANIFEST_INVALID: 'invalid_input', MISSING_FIELD: 'invalid_input', UNKNOWN_OPTION: 'invalid_input', LLM_BAD_REQUEST: 'invalid_input', ID_MISMATCH: 'invalid_input',
    LLM_INVALID_CONFIG: 'invalid_config', LLM_NOT_CONFIGURED: 'invalid_config', PLAYWRIGHT_MISSING: 'invalid_config', INVALID_DATABASE_URL: 'invalid_config',
    VERSION_EXISTS: 'conflict', ALREADY_INSTALLED: 'conflict', NOT_NEWER: 'conflict', AUDIT_CONFLICT: 'conflict',
    FORBIDDEN: 'forbidden', CAPABILITY_NOT_GRANTED: 'forbidden', ORIGIN_NOT_ALLOWED: 'forbidden', NOT_YOUR_PUBLISHER: 'forbidden', LLM_MODERATION_BLOCKED: 'forbidden',
    LICENSE_EXPIRED: 'unlicensed', LICENSE_REVOKED: 'unlicensed', LICENSE_REQUIRED: 'unlicensed', ENTITLEMENT_REQUIRED: 'unlicensed',
    TIMEOUT: 'timeout', DOWNLOAD_TIMEOUT: 'timeout', PAIRING_TIMEOUT: 'timeout',
    LLM_OVERLOADED: 'unavailable', REGISTRY_UNREACHABLE: 'unavailable', NETWORK: 'unavailable', STORE_LOCKED: 'unavailable', BUSY: 'unavailable',
    CONTEXT_LOST: 'rendering', RENDERER_INIT_FAILED: 'rendering', GEOMETRY_WORKER_FAILED: 'rendering',
    SANDBOX_DIED: 'extension_fault', HUNG: 'extension_fault', QUARANTINED: 'extension_fault', ACTIVATE_FAILED: 'extension_fault',
    ABORTED: 'cancelled', LLM_ABORTED: 'cancelled', GEOMETRY_CANCELLED: 'cancelled',
    INTERNAL: 'internal', TOOL_FAILED: 'internal',
  };
  const wrong = Object.entries(expected).filter(([code, cls]) => errorClassOf(code) !== cls).map(([code, cls]) => `${code}: ${errorClassOf(code)}, expected ${cls}`);
  assert.deepEqual(wrong, []);
});

test('browser-safe: the module imports nothing and touches no Node API', () => {
  const file = join(ROOT, 'src', 'telemetry', 'error-classes.ts');
  const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  assert.doesNotMatch(code, /^\s*(?:import|export\s+[^;]*\bfrom)\b/m, `${relative(ROOT, file)} has an import`);
  assert.doesNotMatch(code, /\bimport\s*\(|\brequire\s*\(|['"]node:|\bprocess\.|\bBuffer\b|\b__dirname\b/, `${relative(ROOT, file)} uses a Node API`);
});
