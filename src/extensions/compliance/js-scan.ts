/**
 * NO_EVAL: finds code that compiles strings at run time in a JavaScript file — `eval` (direct,
 * `globalThis.eval`, `(0, eval)`, `window["eval"]`), `Function(…)` / `new Function(…)`, the
 * `.constructor("…")` trick, and `setTimeout` / `setInterval` with a string or template first
 * argument.
 *
 * A small tokenizer (not a parser) skips comments, strings, template text and regular-expression
 * literals, so the word eval in a comment or a string, `evaluate(` and `/eval\(/` are not flagged.
 * Limits (docs/MARKETPLACE-POLICY.md): whether `/` starts a regular expression is guessed from the
 * previous token (after `)`, `]` and `}` it is taken as division, so a regex right after a block's
 * `}` is scanned as code — which can flag, never hide, an eval in it, unless it holds a quote or a
 * backtick); a string reaching eval through a variable (`const f = "eval"; self[f](…)`,
 * `setTimeout(code)`) is not seen; a class method named `eval` is flagged. This is a policy lint:
 * what stops eval at run time is the sandbox's CSP (no 'unsafe-eval').
 */

type Kind = 'id' | 'p' | 's' | 'tpl' | 'n' | 're';
interface Tok {
  k: Kind;
  v: string;
  at: number;
}

/** One use of run-time code compilation. */
export interface EvalFinding {
  line: number;
  column: number;
  what: string;
}

const KEYWORDS_BEFORE_EXPRESSION = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);
const GLOBAL_OBJECTS = new Set(['globalThis', 'window', 'self', 'global', 'top', 'parent', 'frames']);
const MAX_FINDINGS = 20;
const MENTIONS = /eval|Function|setTimeout|setInterval|constructor|\\u/;

const isLineEnd = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
const isSpace = (c: number) => c === 32 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || isLineEnd(c) || (c >= 0x2000 && c <= 0x200a) || c === 0x3000 || c === 0x1680 || c === 0x202f || c === 0x205f;
const isIdStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 36 || c === 95 || c === 92 || (c >= 0x80 && !isSpace(c));
const isIdPart = (c: number) => isIdStart(c) || (c >= 48 && c <= 57) || c === 0x200c || c === 0x200d;
const isDigit = (c: number) => c >= 48 && c <= 57;

/** Tokens of `src` (comments and whitespace dropped); tolerant of invalid input. */
function* tokenize(src: string): Generator<Tok> {
  const n = src.length;
  let i = 0;
  let prev: Tok | undefined;
  /** The token before `prev` (a keyword after `.` is a property name, not a keyword). */
  let before: Tok | undefined;
  /** Brace depth inside each open template `${…}`, innermost last. */
  const templates: number[] = [];
  const emit = (t: Tok): Tok => {
    before = prev;
    return (prev = t);
  };

  /** Scans template text from `from` (after ` or }); returns where it stopped and whether at `${`. */
  const templateText = (from: number): { end: number; open: boolean } => {
    let j = from;
    while (j < n) {
      const c = src.charCodeAt(j);
      if (c === 92) j += 2;
      else if (c === 96) return { end: j + 1, open: false };
      else if (c === 36 && src.charCodeAt(j + 1) === 123) return { end: j + 2, open: true };
      else j++;
    }
    return { end: n, open: false };
  };
  const regexAllowed = (): boolean => {
    if (!prev) return true;
    if (prev.k === 'id') return KEYWORDS_BEFORE_EXPRESSION.has(prev.v) && !(before?.k === 'p' && (before.v === '.' || before.v === '?.'));
    // After `)`, `]`, `}` or a postfix `++` / `--` a slash divides.
    if (prev.k === 'p') return prev.v !== ')' && prev.v !== ']' && prev.v !== '}' && prev.v !== '++' && prev.v !== '--';
    return false;
  };

  if (src.startsWith('#!')) while (i < n && !isLineEnd(src.charCodeAt(i))) i++;
  while (i < n) {
    const c = src.charCodeAt(i);
    const start = i;
    if (isSpace(c)) {
      i++;
    } else if (c === 47 && src.charCodeAt(i + 1) === 47) {
      while (i < n && !isLineEnd(src.charCodeAt(i))) i++;
    } else if (c === 47 && src.charCodeAt(i + 1) === 42) {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === 39 || c === 34) {
      // A string ends at its quote, or (invalid) at an unescaped line end.
      let j = i + 1;
      while (j < n) {
        const d = src.charCodeAt(j);
        if (d === 92) j += 2;
        else if (d === c || isLineEnd(d)) break;
        else j++;
      }
      yield emit({ k: 's', v: src.slice(i + 1, Math.min(j, n)), at: start });
      i = j + 1;
    } else if (c === 96 || (c === 125 && templates.length > 0 && templates[templates.length - 1] === 0)) {
      if (c === 125) templates.pop();
      const { end, open } = templateText(i + 1);
      if (open) templates.push(0);
      yield emit({ k: 'tpl', v: '', at: start });
      i = end;
    } else if (c === 47 && regexAllowed()) {
      // A regular-expression literal, unless it reaches a line end first (then it was division).
      let j = i + 1;
      let inClass = false;
      let closed = false;
      while (j < n) {
        const d = src.charCodeAt(j);
        if (isLineEnd(d)) break;
        if (d === 92) j += 2;
        else {
          if (d === 91) inClass = true;
          else if (d === 93) inClass = false;
          else if (d === 47 && !inClass) {
            closed = true;
            break;
          }
          j++;
        }
      }
      if (closed) {
        j++;
        while (j < n && isIdPart(src.charCodeAt(j))) j++;
        yield emit({ k: 're', v: '', at: start });
        i = j;
      } else {
        yield emit({ k: 'p', v: '/', at: start });
        i++;
      }
    } else if (isIdStart(c)) {
      let j = i;
      while (j < n && isIdPart(src.charCodeAt(j))) j++;
      j = Math.max(j, i + 1);
      yield emit({ k: 'id', v: decodeIdentifier(src.slice(i, j)), at: start });
      i = j;
    } else if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < n) {
        const d = src.charCodeAt(j);
        const e = src.charCodeAt(j - 1) | 32;
        if (isIdPart(d) || d === 46 || ((d === 43 || d === 45) && e === 101 && !/^0[xX]/.test(src.slice(i, i + 2)))) j++;
        else break;
      }
      yield emit({ k: 'n', v: '', at: start });
      i = j;
    } else if (c === 63 && src.charCodeAt(i + 1) === 46 && !isDigit(src.charCodeAt(i + 2))) {
      yield emit({ k: 'p', v: '?.', at: start });
      i += 2;
    } else if ((c === 43 || c === 45) && src.charCodeAt(i + 1) === c) {
      // `++` / `--` as one token: after a postfix one, a slash divides.
      yield emit({ k: 'p', v: c === 43 ? '++' : '--', at: start });
      i += 2;
    } else {
      if (templates.length > 0) {
        if (c === 123) templates[templates.length - 1]!++;
        else if (c === 125) templates[templates.length - 1]!--;
      }
      yield emit({ k: 'p', v: src[i]!, at: start });
      i++;
    }
  }
}

/** Resolves `\uXXXX` and `\u{…}` escapes in an identifier (`\u0065val` is `eval`). */
function decodeIdentifier(raw: string): string {
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\u(?:\{([0-9a-fA-F]{1,6})\}|([0-9a-fA-F]{4}))/g, (_, braced: string | undefined, four: string | undefined) => {
    const code = parseInt(braced ?? four ?? '', 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

const isP = (t: Tok | undefined, ...values: string[]) => t?.k === 'p' && values.includes(t.v);
const isStringish = (t: Tok | undefined) => t?.k === 's' || t?.k === 'tpl';

/** What the token at the middle of the window is, if it compiles code at run time. */
function judge(p2: Tok | undefined, p1: Tok | undefined, t: Tok, n1: Tok | undefined, n2: Tok | undefined): string | undefined {
  const member = isP(p1, '.', '?.');
  const globalRef = !member || (p2?.k === 'id' && GLOBAL_OBJECTS.has(p2.v));
  if (t.k === 'id') {
    if (t.v === 'eval' && globalRef && !(isP(n1, ':') && isP(p1, '{', ','))) return isP(n1, '(') ? 'eval(…)' : 'a reference to eval';
    if (t.v === 'Function' && globalRef && isP(n1, '(')) return p1?.k === 'id' && p1.v === 'new' ? 'new Function(…)' : 'Function(…)';
    // Function handed around as a value (Reflect.construct(Function, …), const F = Function, Function.apply(…)):
    // only typeof / instanceof tests, `.prototype` and object keys are harmless.
    if (t.v === 'Function' && globalRef && !(p1?.k === 'id' && (p1.v === 'typeof' || p1.v === 'instanceof')) && !(isP(n1, '.', '?.') && n2?.k === 'id' && n2.v === 'prototype') && !(isP(n1, ':') && isP(p1, '{', ','))) return 'a reference to Function';
    // x.constructor("…"), and x.constructor.constructor(code) with any argument: the Function constructor
    // reached through an object (new a.constructor(n), as typed-array code does, stays allowed).
    if (t.v === 'constructor' && member && isP(n1, '(') && (isStringish(n2) || (p2?.k === 'id' && p2.v === 'constructor' && !isP(n2, ')')))) return '.constructor(…) (the Function constructor)';
    if ((t.v === 'setTimeout' || t.v === 'setInterval') && globalRef && isP(n1, '(') && isStringish(n2)) return `${t.v} with a string argument`;
  } else if (t.k === 's' && (t.v === 'eval' || t.v === 'Function') && isP(p1, '[') && isP(n1, ']') && p2?.k === 'id' && GLOBAL_OBJECTS.has(p2.v)) {
    return `${p2.v}["${t.v}"]`;
  }
  return undefined;
}

/** Every place in `src` that compiles code from a string (at most 20). */
export function findEvalUses(src: string): EvalFinding[] {
  // Most files name none of these (escaped identifiers included): nothing to tokenize.
  if (!MENTIONS.test(src)) return [];
  const found: Array<{ at: number; what: string }> = [];
  const w: Array<Tok | undefined> = [undefined, undefined, undefined, undefined, undefined];
  const step = (next: Tok | undefined) => {
    w.shift();
    w.push(next);
    const t = w[2];
    if (!t) return;
    const what = judge(w[0], w[1], t, w[3], w[4]);
    if (what) found.push({ at: t.at, what });
  };
  for (const tok of tokenize(src)) {
    step(tok);
    if (found.length >= MAX_FINDINGS) break;
  }
  if (found.length < MAX_FINDINGS) for (let k = 0; k < 2; k++) step(undefined);
  return found.slice(0, MAX_FINDINGS).map(({ at, what }) => ({ ...lineColumn(src, at), what }));
}

function lineColumn(src: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    if (src.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart + 1 };
}
