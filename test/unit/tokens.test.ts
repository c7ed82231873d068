import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import satisfies from 'semver/functions/satisfies.js';
import { buildTokens } from '../../tokens/build.js';
import { cssValue, cssVarName, flattenTokens, mergeTrees, resolveTokens, validateThemePack, type TokenTree, type ThemePack } from '../../src/theme/token-core.js';
import { TOKEN_PATHS, TOKEN_VALUES, TOKEN_TREE, TOKENS_VERSION, TOKEN_RENAMES, BUILTIN_THEME_PACKS } from '../../src/theme/generated/tokens.js';

const root = new URL('../../', import.meta.url).pathname;
const srcDir = join(root, 'tokens/src');
const sources = readdirSync(srcDir).filter((f) => f.endsWith('.tokens.json')).map((f) => JSON.parse(readFileSync(join(srcDir, f), 'utf8')) as TokenTree);
const flat = flattenTokens(mergeTrees(...sources));
const css = readFileSync(join(root, 'tokens/build/vib3-tokens.css'), 'utf8');
const cssProps = new Map([...css.matchAll(/(--vib3-[\w-]+): ([^;]+);/g)].map((m) => [m[1]!, m[2]!]));
const base = { tree: TOKEN_TREE, version: TOKENS_VERSION, renamed: TOKEN_RENAMES };
const sat = (v: string, r: string) => satisfies(v, r, { includePrerelease: true });

test('every DTCG token becomes a --vib3-* custom property (in @layer vib3.tokens on :root and :host) and a TS export', () => {
  assert.match(css, /@layer vib3\.tokens \{\s*:root, :host \{/);
  assert.equal(cssProps.size, flat.size);
  for (const path of flat.keys()) {
    assert.ok(cssProps.has(cssVarName(path)), `CSS lacks ${cssVarName(path)}`);
    assert.ok((TOKEN_PATHS as readonly string[]).includes(path), `TS lacks ${path}`);
  }
  assert.deepEqual([...TOKEN_PATHS].sort(), [...flat.keys()].sort());
  const json = JSON.parse(readFileSync(join(root, 'tokens/build/tokens.json'), 'utf8')) as Record<string, { cssVar: string }>;
  assert.deepEqual(Object.keys(json).sort(), [...flat.keys()].sort(), 'the JSON form for extensions has every token');
});

test('references resolve, and the runtime serializer agrees with style-dictionary on every value', () => {
  const resolved = resolveTokens(flat);
  for (const [path, token] of flat) {
    const fromBuild = cssProps.get(cssVarName(path))!;
    assert.doesNotMatch(fromBuild, /[{}]/, `${path} left a reference unresolved`);
    assert.equal(cssValue(token.type, resolved.get(path)), fromBuild, path);
    assert.equal(TOKEN_VALUES[path as keyof typeof TOKEN_VALUES], fromBuild, `TS value of ${path}`);
  }
  assert.equal(cssProps.get('--vib3-color-accent'), '#6fd3ff', '{color.brand.400}');
  assert.equal(cssProps.get('--vib3-motion-easing-standard'), 'cubic-bezier(0.2, 0, 0, 1)');
  assert.equal(cssProps.get('--vib3-font-family-base'), "system-ui, 'Segoe UI', Roboto, sans-serif");
});

test('each shipped theme pack: style-dictionary output equals the runtime pack resolution', () => {
  assert.deepEqual(BUILTIN_THEME_PACKS.map((p) => p.name).sort(), ['acme', 'default-dark', 'high-contrast', 'light']);
  for (const pack of BUILTIN_THEME_PACKS) {
    const built = readFileSync(join(root, `tokens/build/themes/${pack.name}.css`), 'utf8');
    const builtProps = new Map([...built.matchAll(/(--vib3-[\w-]+): ([^;]+);/g)].map((m) => [m[1]!, m[2]!]));
    const result = validateThemePack(pack, base, sat);
    assert.equal(result.valid, true, pack.name);
    assert.deepEqual(Object.fromEntries([...result.overrides].map(([k, v]) => [cssVarName(k), v])), Object.fromEntries(builtProps), pack.name);
  }
});

test('the white-label pack (written for tokens 1.0) is migrated: color.highlight -> color.accent, with a warning', () => {
  const acme = BUILTIN_THEME_PACKS.find((p) => p.name === 'acme')!;
  const result = validateThemePack(acme, base, sat);
  assert.deepEqual(result.problems.map((p) => [p.severity, p.code, p.path]), [['warning', 'RENAMED_TOKEN', 'color.highlight']]);
  assert.equal(result.overrides.get('color.accent'), '#ff7ac8');
  assert.equal(result.overrides.get('font.family.base'), 'Georgia, serif', 'a font stack is replaced, not spliced');
  assert.equal(result.overrides.get('visual.hue'), '320');
});

test('theme pack validation: unknown and mistyped tokens, bad versions, incompatible bases are rejected', () => {
  const ok: ThemePack = { name: 'partner', version: '1.0.0', base: '^1.0.0', tokens: { color: { brand: { '400': { $value: '#00ff88' } } } } };
  const good = validateThemePack(ok, base, sat);
  assert.equal(good.valid, true);
  // Overriding a core colour moves every token that references it.
  assert.deepEqual([...good.overrides.keys()].sort(), ['color.accent', 'color.brand.400']);
  const cases: [string, unknown, string, string][] = [
    ['unknown token', { ...ok, tokens: { color: { sparkle: { $value: '#fff' } } } }, 'UNKNOWN_TOKEN', 'color.sparkle'],
    ['colour that is not a colour', { ...ok, tokens: { color: { accent: { $value: 'very blue' } } } }, 'WRONG_TYPE', 'color.accent'],
    ['number as string', { ...ok, tokens: { visual: { hue: { $value: '120deg' } } } }, 'WRONG_TYPE', 'visual.hue'],
    ['dimension without unit', { ...ok, tokens: { radius: { md: { $value: 12 } } } }, 'WRONG_TYPE', 'radius.md'],
    ['reference to nothing', { ...ok, tokens: { color: { accent: { $value: '{color.nope}' } } } }, 'BAD_REFERENCE', 'color.accent'],
    ['reference of another type', { ...ok, tokens: { color: { accent: { $value: '{radius.md}' } } } }, 'WRONG_TYPE', 'color.accent'],
    ['version not semver', { ...ok, version: 'one' }, 'INVALID_PACK', 'version'],
    ['bad name', { ...ok, name: 'Partner Theme' }, 'INVALID_PACK', 'name'],
    ['incompatible base', { ...ok, base: '^2.0.0' }, 'INCOMPATIBLE_BASE', 'base'],
    ['no tokens', { ...ok, tokens: 'none' }, 'INVALID_PACK', 'tokens'],
  ];
  for (const [name, pack, code, path] of cases) {
    const r = validateThemePack(pack, base, sat);
    assert.equal(r.valid, false, name);
    assert.ok(r.problems.some((p) => p.code === code && p.path === path), `${name}: ${JSON.stringify(r.problems)}`);
  }
});

test('bad token files fail the build, naming the file and the token path', async () => {
  const cases: [string, string, RegExp][] = [
    ['broken-ref.tokens.json', '{"color":{"$type":"color","x":{"$value":"{color.missing}"}}}', /color\.x: references \{color\.missing\}/],
    ['bad-type.tokens.json', '{"space":{"$type":"dimension","huge":{"$value":"big"}}}', /bad-type\.tokens\.json: space\.huge: value "big" is not a valid dimension/],
    ['no-type.tokens.json', '{"mystery":{"$value":3}}', /no-type\.tokens\.json: mystery: has no \$type/],
    ['cycle.tokens.json', '{"color":{"$type":"color","a":{"$value":"{color.b}"},"b":{"$value":"{color.a}"}}}', /reference cycle/],
    ['not-json.tokens.json', '{"color": ', /not-json\.tokens\.json: \(file\): is not valid JSON/],
  ];
  for (const [file, content, expected] of cases) {
    const dir = mkdtempSync(join(tmpdir(), 'vib3-tokens-'));
    try {
      cpSync(srcDir, join(dir, 'src'), { recursive: true });
      writeFileSync(join(dir, 'src', file), content);
      await assert.rejects(buildTokens({ sources: join(dir, 'src'), out: join(dir, 'out'), tsOut: join(dir, 'tokens.ts'), quiet: true }), (e: Error) => expected.test(e.message) && e.message.includes(join(dir, 'src', file)), file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
