/**
 * Design tokens in the W3C DTCG format: flattening, reference resolution, CSS serialisation
 * and theme-pack validation. Pure TypeScript (no DOM, no Node) so the style-dictionary build,
 * the runtime pack registry and the tests share one implementation.
 */

import { brandColorToVisual, BRAND_COLOR_FORMS } from './brand-color.js';

/** DTCG token types used by the kit. */
export type TokenType = 'color' | 'dimension' | 'number' | 'fontFamily' | 'fontWeight' | 'duration' | 'cubicBezier' | 'shadow';
export const TOKEN_TYPES: readonly TokenType[] = ['color', 'dimension', 'number', 'fontFamily', 'fontWeight', 'duration', 'cubicBezier', 'shadow'];

/** A DTCG group or token tree as written in *.tokens.json. */
export type TokenTree = { [key: string]: unknown };

/** One flattened token. `value` is as written (it may be a `{a.b}` reference). */
export interface FlatToken {
  path: string;
  type: TokenType;
  value: unknown;
  description?: string;
}

/** A problem in a token file or theme pack. */
export interface TokenProblem {
  code: 'UNKNOWN_TOKEN' | 'WRONG_TYPE' | 'BAD_REFERENCE' | 'CIRCULAR_REFERENCE' | 'MISSING_TYPE' | 'INVALID_PACK' | 'INCOMPATIBLE_BASE' | 'RENAMED_TOKEN' | 'INVALID_BRAND_COLOR';
  /** Dotted token path (or pack field) the problem is about. */
  path: string;
  message: string;
  suggestion: string;
  severity: 'error' | 'warning';
}

/** Thrown by the token build with the file and path of the offending token. */
export class TokenError extends Error {
  constructor(readonly problems: TokenProblem[], file?: string) {
    super(problems.map((p) => `${file ? `${file}: ` : ''}${p.path}: ${p.message}`).join('\n'));
    this.name = 'TokenError';
  }
}

const REF = /^\{([^{}]+)\}$/;

/** Flattens a DTCG tree; `$type` is inherited from enclosing groups. */
export function flattenTokens(tree: TokenTree, file?: string): Map<string, FlatToken> {
  const out = new Map<string, FlatToken>();
  const problems: TokenProblem[] = [];
  const walk = (node: TokenTree, path: string[], inheritedType?: string) => {
    const type = typeof node['$type'] === 'string' ? (node['$type'] as string) : inheritedType;
    if ('$value' in node) {
      const p = path.join('.');
      if (!type) problems.push({ code: 'MISSING_TYPE', path: p, message: 'has no $type (on the token or a parent group).', suggestion: 'Add "$type" to the token or its group.', severity: 'error' });
      else if (!TOKEN_TYPES.includes(type as TokenType)) problems.push({ code: 'WRONG_TYPE', path: p, message: `$type "${type}" is not supported.`, suggestion: `Use one of ${TOKEN_TYPES.join(', ')}.`, severity: 'error' });
      else out.set(p, { path: p, type: type as TokenType, value: node['$value'], ...(typeof node['$description'] === 'string' ? { description: node['$description'] } : {}) });
      return;
    }
    for (const [key, child] of Object.entries(node)) {
      if (key.startsWith('$')) continue;
      if (child && typeof child === 'object' && !Array.isArray(child)) walk(child as TokenTree, [...path, key], type);
      else problems.push({ code: 'WRONG_TYPE', path: [...path, key].join('.'), message: 'is neither a token (with $value) nor a group.', suggestion: 'Wrap the value as { "$value": ... }.', severity: 'error' });
    }
  };
  walk(tree, []);
  if (problems.length) throw new TokenError(problems, file);
  return out;
}

/** Deep-merges DTCG trees (later wins), as style-dictionary merges source files. */
export function mergeTrees(...trees: TokenTree[]): TokenTree {
  const out: TokenTree = {};
  for (const tree of trees) {
    for (const [k, v] of Object.entries(tree)) {
      const prev = out[k];
      if (v && typeof v === 'object' && !Array.isArray(v) && !('$value' in (v as object)) && prev && typeof prev === 'object' && !Array.isArray(prev) && !('$value' in (prev as object))) {
        out[k] = mergeTrees(prev as TokenTree, v as TokenTree);
      } else if (v && typeof v === 'object' && !Array.isArray(v) && '$value' in (v as object) && prev && typeof prev === 'object' && '$value' in (prev as object)) {
        out[k] = { ...(prev as object), ...(v as object) };
      } else {
        out[k] = v;
      }
    }
  }
  return out;
}

/** Resolves `{a.b}` references; returns path -> resolved value. Throws TokenError for bad or circular references. */
export function resolveTokens(flat: Map<string, FlatToken>, file?: string): Map<string, unknown> {
  const resolved = new Map<string, unknown>();
  const problems: TokenProblem[] = [];
  const resolve = (path: string, stack: string[]): unknown => {
    if (resolved.has(path)) return resolved.get(path);
    const token = flat.get(path)!;
    let value = token.value;
    const m = typeof value === 'string' ? REF.exec(value) : null;
    if (m) {
      const target = m[1]!;
      if (stack.includes(target)) {
        problems.push({ code: 'CIRCULAR_REFERENCE', path, message: `reference cycle: ${[...stack, target].join(' -> ')}.`, suggestion: 'Break the cycle: one of the tokens needs a literal value.', severity: 'error' });
        return undefined;
      }
      const targetToken = flat.get(target);
      if (!targetToken) {
        problems.push({ code: 'BAD_REFERENCE', path, message: `references {${target}}, which does not exist.`, suggestion: 'Fix the reference path (dots between group names).', severity: 'error' });
        return undefined;
      }
      if (targetToken.type !== token.type) {
        problems.push({ code: 'WRONG_TYPE', path, message: `is a ${token.type} but references {${target}}, a ${targetToken.type}.`, suggestion: 'Reference a token of the same $type.', severity: 'error' });
        return undefined;
      }
      value = resolve(target, [...stack, target]);
    }
    resolved.set(path, value);
    return value;
  };
  for (const path of flat.keys()) resolve(path, [path]);
  if (problems.length) throw new TokenError(problems, file);
  return resolved;
}

/** Whether a literal value fits a type (references are checked separately). */
export function valueFitsType(type: TokenType, value: unknown): boolean {
  switch (type) {
    case 'color':
      return typeof value === 'string' && /^(#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})|(rgb|rgba|hsl|hsla|oklch|oklab)\([^)]*\)|transparent|currentColor)$/.test(value);
    case 'dimension':
      return typeof value === 'string' && /^-?\d+(\.\d+)?(px|rem|em|%)$/.test(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'fontFamily':
      return typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string'));
    case 'fontWeight':
      return (typeof value === 'number' && value >= 1 && value <= 1000) || ['normal', 'bold'].includes(value as string);
    case 'duration':
      return typeof value === 'string' && /^\d+(\.\d+)?(ms|s)$/.test(value);
    case 'cubicBezier':
      return Array.isArray(value) && value.length === 4 && value.every((v) => typeof v === 'number' && Number.isFinite(v));
    case 'shadow': {
      const one = (s: unknown) => !!s && typeof s === 'object' && ['color', 'offsetX', 'offsetY', 'blur', 'spread'].every((k) => k in (s as object));
      return one(value) || (Array.isArray(value) && value.every(one));
    }
  }
}

/** Checks every literal value against its type. */
export function checkTypes(flat: Map<string, FlatToken>, file?: string): void {
  const problems: TokenProblem[] = [];
  for (const t of flat.values()) {
    if (typeof t.value === 'string' && REF.test(t.value)) continue;
    if (!valueFitsType(t.type, t.value)) problems.push({ code: 'WRONG_TYPE', path: t.path, message: `value ${JSON.stringify(t.value)} is not a valid ${t.type}.`, suggestion: `Write a ${t.type} value (see the DTCG format).`, severity: 'error' });
  }
  if (problems.length) throw new TokenError(problems, file);
}

/** The CSS custom property of a token path: color.surface-raised -> --vib3-color-surface-raised. */
export function cssVarName(path: string): string {
  return `--vib3-${path.split('.').join('-')}`;
}

/** Serialises a resolved value to CSS exactly as the style-dictionary build does. */
export function cssValue(type: TokenType, value: unknown): string {
  switch (type) {
    case 'fontFamily':
      return (Array.isArray(value) ? value : [value]).map((f) => (/\s/.test(String(f)) ? `'${String(f)}'` : String(f))).join(', ');
    case 'cubicBezier':
      return `cubic-bezier(${(value as number[]).join(', ')})`;
    case 'shadow':
      return (Array.isArray(value) ? value : [value]).map((s: Record<string, string>) => `${s['offsetX']} ${s['offsetY']} ${s['blur']} ${s['spread']} ${s['color']}`).join(', ');
    default:
      return String(value);
  }
}

// ------------------------------------------------------------------ theme packs

/** A versioned overlay of tokens: white-labelling is choosing or overriding a pack. */
export interface ThemePack {
  /** Lowercase name used in `theme="name"`. */
  name: string;
  /** The pack's own semver. */
  version: string;
  /** Range of token-set versions the pack was written for (e.g. "^1.0.0"). */
  base: string;
  label?: string;
  description?: string;
  /**
   * The partner's brand colour; the visual palette follows it. A CSS colour (`"#1e90ff"`,
   * `"rgb(30 144 255)"`, `"hsl(210 100% 56%)"`) or a reference to a colour token, resolved in this
   * pack (`"{color.brand.400}"`). It sets `visual.hue` to the colour's CSS hue (degrees) and every
   * `visual.<system>.saturation` to its CSS HSL saturation (0..1), except the ones the pack's
   * `tokens` set themselves. A grey sets the saturations to 0 and leaves the hue alone.
   */
  brandColor?: string;
  /** DTCG overrides of existing tokens. */
  tokens: TokenTree;
}

/** The systems whose saturation token a brand colour sets. */
const BRAND_SATURATION_PATHS = ['visual.faceted.saturation', 'visual.quantum.saturation', 'visual.holographic.saturation'] as const;

/** A renamed token and since when. */
export interface TokenRename {
  from: string;
  to: string;
  since: string;
  note?: string;
}

/** The result of validating a pack against a base token set. */
export interface PackValidation {
  valid: boolean;
  problems: TokenProblem[];
  /** path -> CSS value for every token whose resolved value differs from the base. */
  overrides: Map<string, string>;
  /**
   * The visual tokens the pack's `brandColor` sets (a DTCG tree of `$value`s; empty without a
   * brand colour). The token build merges it under the pack's own tokens.
   */
  brandTokens: TokenTree;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;

/**
 * Validates a theme pack against the base token tree: name and versions, base compatibility,
 * unknown or mistyped tokens, references. Renamed tokens are migrated (with a warning).
 * `satisfies(version, range)` is injected so this module stays dependency-free.
 */
export function validateThemePack(pack: unknown, base: { tree: TokenTree; version: string; renamed: readonly TokenRename[] }, satisfies: (v: string, range: string) => boolean): PackValidation {
  const problems: TokenProblem[] = [];
  const err = (code: TokenProblem['code'], path: string, message: string, suggestion: string) => problems.push({ code, path, message, suggestion, severity: 'error' });
  const p = pack as Partial<ThemePack>;
  if (!p || typeof p !== 'object') {
    err('INVALID_PACK', '', 'a theme pack must be an object.', 'Pass { name, version, base, tokens }.');
    return { valid: false, problems, overrides: new Map(), brandTokens: {} };
  }
  if (typeof p.name !== 'string' || !/^[a-z][a-z0-9-]{0,39}$/.test(p.name)) err('INVALID_PACK', 'name', `name ${JSON.stringify(p.name)} is invalid.`, 'Use a lowercase name like "acme-dark".');
  if (typeof p.version !== 'string' || !SEMVER.test(p.version)) err('INVALID_PACK', 'version', `version ${JSON.stringify(p.version)} is not semver.`, 'Use a version like "1.0.0".');
  if (typeof p.base !== 'string') err('INVALID_PACK', 'base', 'base (the token-set range the pack targets) is missing.', `Set base to "^${base.version}".`);
  else {
    try {
      if (!satisfies(base.version, p.base)) err('INCOMPATIBLE_BASE', 'base', `the pack targets tokens ${p.base}; this kit has tokens ${base.version}.`, 'Update the pack for this token version (see the migration notes), or use a matching kit.');
    } catch {
      err('INVALID_PACK', 'base', `base ${JSON.stringify(p.base)} is not a semver range.`, `Use a range like "^${base.version}".`);
    }
  }
  if (!p.tokens || typeof p.tokens !== 'object' || Array.isArray(p.tokens)) {
    err('INVALID_PACK', 'tokens', 'tokens must be a DTCG tree of overrides.', 'Pass tokens: { color: { accent: { "$value": "#ff00aa" } } }.');
    return { valid: false, problems, overrides: new Map(), brandTokens: {} };
  }
  const baseFlat = flattenTokens(base.tree);
  // Overrides inherit $type from the base: tag each override with its base type before flattening.
  let overrideFlat: Map<string, FlatToken>;
  try {
    overrideFlat = flattenTokens(typeTree(p.tokens, baseFlat));
  } catch (e) {
    problems.push(...((e as TokenError).problems ?? []));
    return { valid: false, problems, overrides: new Map(), brandTokens: {} };
  }
  const renames = new Map(base.renamed.map((r) => [r.from, r]));
  const effective = new Map(baseFlat);
  /** Token paths the pack sets itself (after renames): a brand colour never overrides them. */
  const explicit = new Set<string>();
  for (const [path, token] of overrideFlat) {
    let target = path;
    const rename = renames.get(path);
    if (rename) {
      problems.push({ code: 'RENAMED_TOKEN', path, message: `${path} was renamed to ${rename.to} in tokens ${rename.since}; migrated.`, suggestion: rename.note ?? `Rename it to ${rename.to} in the pack.`, severity: 'warning' });
      target = rename.to;
    }
    const baseToken = baseFlat.get(target);
    if (!baseToken) {
      err('UNKNOWN_TOKEN', path, `${path} is not a token of this kit.`, 'Override existing tokens only (see tokens/build/tokens.json for the list).');
      continue;
    }
    const isRef = typeof token.value === 'string' && REF.test(token.value);
    if (!isRef && !valueFitsType(baseToken.type, token.value)) {
      err('WRONG_TYPE', path, `value ${JSON.stringify(token.value)} is not a valid ${baseToken.type}.`, `Give ${target} a ${baseToken.type} value, as in the base token.`);
      continue;
    }
    effective.set(target, { ...baseToken, value: token.value });
    explicit.add(target);
  }
  // A literal brand colour is checked now, so its problem is listed with the others (a reference needs the resolved tokens).
  if (p.brandColor !== undefined && !(typeof p.brandColor === 'string' && REF.test(p.brandColor.trim()))) {
    const brand = brandColorToVisual(p.brandColor);
    if (!brand.ok) problems.push({ ...brand.problem, path: 'brandColor', severity: 'error' });
  }
  if (problems.some((x) => x.severity === 'error')) return { valid: false, problems, overrides: new Map(), brandTokens: {} };
  let baseResolved: Map<string, unknown>;
  let packResolved: Map<string, unknown>;
  try {
    baseResolved = resolveTokens(baseFlat);
    packResolved = resolveTokens(effective);
  } catch (e) {
    problems.push(...((e as TokenError).problems ?? []));
    return { valid: false, problems, overrides: new Map(), brandTokens: {} };
  }
  let brandTokens: TokenTree = {};
  if (p.brandColor !== undefined) {
    const brand = brandVisualTokens(p.brandColor, effective, packResolved, explicit);
    if ('problem' in brand) {
      problems.push({ ...brand.problem, path: 'brandColor', severity: 'error' });
      return { valid: false, problems, overrides: new Map(), brandTokens: {} };
    }
    for (const [path, value] of brand.tokens) effective.set(path, { ...effective.get(path)!, value });
    brandTokens = brand.tree;
    packResolved = resolveTokens(effective);
  }
  const overrides = new Map<string, string>();
  for (const [path, token] of effective) {
    const before = cssValue(token.type, baseResolved.get(path));
    const after = cssValue(token.type, packResolved.get(path));
    if (before !== after) overrides.set(path, after);
  }
  return { valid: true, problems, overrides, brandTokens };
}

/**
 * The visual tokens a brand colour sets: `visual.hue` and the three saturations, minus the ones the
 * pack sets itself. A reference (`{color.brand.400}`) is resolved in the pack's own tokens.
 */
function brandVisualTokens(
  brandColor: unknown,
  effective: ReadonlyMap<string, FlatToken>,
  resolved: ReadonlyMap<string, unknown>,
  explicit: ReadonlySet<string>,
): { tokens: Map<string, number>; tree: TokenTree } | { problem: Omit<TokenProblem, 'path' | 'severity'> } {
  let colour = brandColor;
  const ref = typeof brandColor === 'string' ? REF.exec(brandColor.trim()) : null;
  if (ref) {
    const target = effective.get(ref[1]!);
    if (!target || target.type !== 'color') {
      return {
        problem: {
          code: 'INVALID_BRAND_COLOR',
          message: target ? `brandColor references {${ref[1]}}, a ${target.type} token, not a colour.` : `brandColor references {${ref[1]}}, which does not exist.`,
          suggestion: `Reference a colour token such as {color.brand.400}, or write ${BRAND_COLOR_FORMS}.`,
        },
      };
    }
    colour = resolved.get(ref[1]!);
  }
  const result = brandColorToVisual(colour);
  if (!result.ok) {
    const via = ref ? ` (via {${ref[1]}})` : '';
    return { problem: { ...result.problem, message: result.problem.message.replace(/^brandColor /, `brandColor${via} `) } };
  }
  const tokens = new Map<string, number>();
  if (result.visual.hue !== undefined && !explicit.has('visual.hue')) tokens.set('visual.hue', result.visual.hue);
  for (const path of BRAND_SATURATION_PATHS) if (!explicit.has(path)) tokens.set(path, result.visual.saturation);
  const tree: TokenTree = {};
  for (const [path, value] of tokens) {
    const keys = path.split('.');
    let node = tree;
    for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as TokenTree;
    node[keys.at(-1)!] = { $value: value };
  }
  return { tokens, tree };
}

/** Copies an override tree, adding the base token's $type to each token so it flattens. */
function typeTree(tree: TokenTree, baseFlat: Map<string, FlatToken>, path: string[] = []): TokenTree {
  const out: TokenTree = {};
  for (const [k, v] of Object.entries(tree)) {
    if (k.startsWith('$')) {
      out[k] = v;
      continue;
    }
    const p = [...path, k];
    if (v && typeof v === 'object' && !Array.isArray(v) && '$value' in (v as object)) {
      const baseType = baseFlat.get(p.join('.'))?.type;
      out[k] = { $type: (v as TokenTree)['$type'] ?? baseType ?? 'number', ...(v as object) };
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      out[k] = typeTree(v as TokenTree, baseFlat, p);
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** CSS for a pack: custom properties on every element that selects the theme. */
export function packCss(name: string, overrides: ReadonlyMap<string, string>): string {
  const selector = [`[data-vib3-theme="${name}"]`, `vib3-theme[theme="${name}"]`, `vib3-canvas[theme="${name}"]`, `:host([theme="${name}"])`].join(', ');
  const body = [...overrides].map(([path, value]) => `    ${cssVarName(path)}: ${value};`).join('\n');
  return `@layer vib3.themes {\n  ${selector} {\n${body}\n  }\n}\n`;
}
