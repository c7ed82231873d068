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
  assert.equal(result.overrides.get('visual.hue'), '325', 'hue from brandColor {color.brand.400} = #ff7ac8, warm magenta on the CSS wheel');
  assert.equal(result.overrides.get('visual.faceted.saturation'), '1');
  assert.equal(result.overrides.get('visual.quantum.saturation'), '0.95', 'the pack\'s own saturation token wins over the brand colour');
});

test('a pack\'s brandColor sets visual.hue (CSS degrees) and every system\'s saturation (CSS HSL, 0..1)', () => {
  const pack: ThemePack = { name: 'partner', version: '1.0.0', base: '^1.1.0', brandColor: '#1e90ff', tokens: {} };
  const r = validateThemePack(pack, base, sat);
  assert.equal(r.valid, true, JSON.stringify(r.problems));
  assert.deepEqual(Object.fromEntries(r.overrides), { 'visual.hue': '210', 'visual.faceted.saturation': '1', 'visual.quantum.saturation': '1', 'visual.holographic.saturation': '1' });
  assert.deepEqual(r.brandTokens, { visual: { hue: { $value: 210 }, faceted: { saturation: { $value: 1 } }, quantum: { saturation: { $value: 1 } }, holographic: { saturation: { $value: 1 } } } });
  // Green brand, hue 120: green on the CSS wheel (the bug of issue 13 rendered it magenta).
  assert.equal(validateThemePack({ ...pack, brandColor: 'hsl(120 60% 40%)' }, base, sat).overrides.get('visual.hue'), '120');
});

test('brandColor: the pack\'s own visual tokens win; a reference resolves in the pack; a grey leaves the hue alone', () => {
  const own = validateThemePack({ name: 'p', version: '1.0.0', base: '^1.1.0', brandColor: '#1e90ff', tokens: { visual: { hue: { $value: 30 }, holographic: { saturation: { $value: 0.4 } } } } }, base, sat);
  assert.equal(own.overrides.get('visual.hue'), '30');
  assert.equal(own.overrides.get('visual.holographic.saturation'), '0.4');
  assert.equal(own.overrides.get('visual.faceted.saturation'), '1');
  assert.deepEqual(own.brandTokens, { visual: { faceted: { saturation: { $value: 1 } }, quantum: { saturation: { $value: 1 } } } });
  const ref = validateThemePack({ name: 'p', version: '1.0.0', base: '^1.1.0', brandColor: '{color.accent}', tokens: { color: { brand: { '400': { $value: '#00ff88' } } } } }, base, sat);
  assert.equal(ref.valid, true, JSON.stringify(ref.problems));
  assert.equal(ref.overrides.get('visual.hue'), '152', '{color.accent} -> {color.brand.400} = #00ff88 in this pack');
  const baseRef = validateThemePack({ name: 'p', version: '1.0.0', base: '^1.1.0', brandColor: '{color.brand.400}', tokens: {} }, base, sat);
  assert.equal(baseRef.overrides.get('visual.hue'), '198', 'the kit\'s own brand colour #6fd3ff');
  const grey = validateThemePack({ name: 'p', version: '1.0.0', base: '^1.1.0', brandColor: '#777777', tokens: {} }, base, sat);
  assert.equal(grey.overrides.has('visual.hue'), false);
  assert.equal(grey.overrides.get('visual.quantum.saturation'), '0');
});

test('a bad brandColor is a coded problem (code, message, suggestion) and the pack is invalid, with its other problems listed', () => {
  const ok: ThemePack = { name: 'partner', version: '1.0.0', base: '^1.1.0', tokens: {} };
  const cases: [unknown, RegExp][] = [
    ['brand blue', /"brand blue" is not a colour/],
    ['#12345', /is not a colour/],
    [120, /120 is not a colour/],
    ['oklch(70% 0.15 250)', /colour space the kit cannot turn into a hue/],
    ['{color.nope}', /references \{color\.nope\}, which does not exist/],
    ['{radius.md}', /references \{radius\.md\}, a dimension token, not a colour/],
  ];
  for (const [brandColor, message] of cases) {
    const r = validateThemePack({ ...ok, brandColor } as ThemePack, base, sat);
    assert.equal(r.valid, false, String(brandColor));
    assert.equal(r.overrides.size, 0);
    const problem = r.problems.find((p) => p.code === 'INVALID_BRAND_COLOR');
    assert.ok(problem, `${String(brandColor)}: ${JSON.stringify(r.problems)}`);
    assert.equal(problem.path, 'brandColor');
    assert.equal(problem.severity, 'error');
    assert.match(problem.message, message);
    assert.match(problem.suggestion, /#1e90ff.*\{color\.brand\.400\}/);
  }
  const both = validateThemePack({ ...ok, brandColor: 'nope', tokens: { color: { sparkle: { $value: '#fff' } } } }, base, sat);
  assert.deepEqual(both.problems.map((p) => p.code).sort(), ['INVALID_BRAND_COLOR', 'UNKNOWN_TOKEN']);
  // A reference to a colour token that is not an sRGB colour the kit reads.
  const lab = validateThemePack({ ...ok, brandColor: '{color.brand.400}', tokens: { color: { brand: { '400': { $value: 'oklch(70% 0.15 250)' } } } } }, base, sat);
  assert.match(lab.problems.find((p) => p.code === 'INVALID_BRAND_COLOR')?.message ?? '', /brandColor \(via \{color\.brand\.400\}\) "oklch/);
});

test('a shipped pack with a bad brandColor fails the token build, naming the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vib3-brand-'));
  try {
    cpSync(join(root, 'tokens/themes'), join(dir, 'themes'), { recursive: true });
    writeFileSync(join(dir, 'themes', 'bad.theme.json'), JSON.stringify({ name: 'bad', version: '1.0.0', base: '^1.1.0', brandColor: 'teal-ish', tokens: {} }));
    await assert.rejects(buildTokens({ themes: join(dir, 'themes'), out: join(dir, 'out'), tsOut: join(dir, 'tokens.ts'), quiet: true }), (e: Error) => /bad\.theme\.json: brandColor: brandColor "teal-ish" is not a colour/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
