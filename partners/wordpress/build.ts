/**
 * Generates the WordPress plugin's files that derive from the kit, so the plugin never drifts from
 * it: `block.json` (the block's attributes) and `includes/generated/table.php` (the table the PHP
 * sanitizer and the editor's controls both read). Sources: the parameter table `PARAM_SPECS`
 * (src/core/params.ts), the theme packs (tokens/themes/*.theme.json) and the element's display
 * options listed below. Run by scripts/build-wordpress.mjs into the assembled plugin folder:
 *
 *   node --import tsx partners/wordpress/build.ts <plugin dir> <kit version> <kit integrity>
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PARAM_SPECS, type ParamSpec } from '../../src/core/params.js';

/** The block's name (`namespace/name`); its wrapper class is `wp-block-vib3-canvas`. */
export const BLOCK_NAME = 'vib3/canvas';

/** One row of the generated table: a VIB3 parameter or a display option of the block and shortcode. */
export type TableEntry =
  | { kind: 'float' | 'int'; name: string; attribute: string; target: 'element'; group: string; label: string; help: string; min: number; max: number; step: number; default: number }
  | { kind: 'enum'; name: string; attribute: string; target: 'element' | 'wrapper'; group: string; label: string; help: string; values: string[]; labels: string[]; default: string }
  | { kind: 'text'; name: string; attribute: string; target: 'element'; group: string; label: string; help: string; maxLength: number }
  | { kind: 'url'; name: string; attribute: string; target: 'element'; group: string; label: string; help: string };

/** What the generator needs besides the sources: the bundled kit file's version and SRI value. */
export interface KitInfo {
  version: string;
  integrity: string;
}

/** The aspect ratios the wrapper offers (class `vib3-embed--W-H`, CSS in assets/vib3-embed.css). */
const ASPECTS = ['16:9', '4:3', '1:1', '21:9'];
/** The element's `motion` values (src/element/options.ts). */
const MOTIONS = ['auto', 'reduce', 'full'];

/** "gridDensity" -> "Grid density", "rot4dXW" -> "Rotation XW". */
export function labelOf(name: string): string {
  const plane = /^rot4d([XYZW]{2})$/.exec(name);
  if (plane) return `Rotation ${plane[1]}`;
  const words = name.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A slider step: about a hundredth of the range, rounded down to 1, 2 or 5 times a power of ten. */
export function stepOf(spec: { kind: 'float' | 'int'; min: number; max: number }): number {
  if (spec.kind === 'int') return 1;
  const raw = (spec.max - spec.min) / 100;
  const power = 10 ** Math.floor(Math.log10(raw));
  const nice = [5, 2, 1].find((m) => m * power <= raw)! * power;
  return Number(nice.toPrecision(1));
}

function paramEntry(spec: ParamSpec): TableEntry {
  const group = spec.name.startsWith('rot4d') ? 'rotation' : 'visual';
  const base = { name: spec.name, attribute: spec.attribute, target: 'element' as const, group, label: labelOf(spec.name), help: spec.description };
  if (spec.kind === 'enum') return { ...base, kind: 'enum', values: [...spec.values], labels: spec.values.map(labelOf), default: spec.default };
  return { ...base, kind: spec.kind, min: spec.min, max: spec.max, step: stepOf(spec), default: spec.default };
}

/** The theme packs of tokens/themes, sorted by name: `{ name, label }`. */
export function themePacks(root: string): { name: string; label: string }[] {
  const dir = join(root, 'tokens/themes');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.theme.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { name: string; label?: string })
    .map((p) => ({ name: p.name, label: p.label ?? p.name }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The whole table: every VIB3 parameter (table order), then the theme pack and the display options. */
export function buildTable(root: string): TableEntry[] {
  const packs = themePacks(root);
  return [
    ...PARAM_SPECS.map(paramEntry),
    { kind: 'enum', name: 'theme', attribute: 'theme', target: 'element', group: 'display', label: 'Theme pack', help: 'Brand palette and UI colours; unset follows the page.', values: packs.map((p) => p.name), labels: packs.map((p) => p.label), default: '' },
    { kind: 'enum', name: 'aspect', attribute: 'aspect', target: 'wrapper', group: 'display', label: 'Aspect ratio', help: 'Width to height of the visual.', values: ASPECTS, labels: ASPECTS, default: '16:9' },
    { kind: 'enum', name: 'motion', attribute: 'motion', target: 'element', group: 'display', label: 'Motion', help: 'auto follows the visitor’s reduced-motion setting.', values: MOTIONS, labels: MOTIONS.map(labelOf), default: 'auto' },
    { kind: 'text', name: 'alt', attribute: 'alt', target: 'element', group: 'display', label: 'Accessible name', help: 'Read by screen readers; empty marks the visual as decorative.', maxLength: 200 },
    { kind: 'url', name: 'poster', attribute: 'poster', target: 'element', group: 'display', label: 'Poster image URL', help: 'A still image shown until the first live frame (http or https).' },
  ];
}

/** block.json attribute schema of one entry. Numbers are `number` (ints too): the sanitizer rounds. */
function attributeSchema(entry: TableEntry): Record<string, unknown> {
  if (entry.kind === 'float' || entry.kind === 'int') return { type: 'number' };
  if (entry.kind === 'enum') return { type: 'string', enum: entry.values };
  return { type: 'string' };
}

/** The block's block.json (apiVersion 2, dynamic: server-rendered by the plugin's render callback). */
export function blockJson(table: TableEntry[], kit: KitInfo): Record<string, unknown> {
  return {
    $schema: 'https://schemas.wp.org/trunk/block.json',
    apiVersion: 2,
    name: BLOCK_NAME,
    version: kit.version,
    title: 'VIB3 Canvas',
    category: 'media',
    icon: 'format-video',
    description: 'A live VIB3 4D geometry visual (WebGPU, with a WebGL2 fallback).',
    keywords: ['vib3', '4d', 'geometry', 'visual', 'webgl'],
    textdomain: 'vib3-embed',
    attributes: Object.fromEntries(table.map((e) => [e.name, attributeSchema(e)])),
    supports: { html: false, align: ['wide', 'full'] },
    editorScript: 'vib3-embed-editor',
    style: 'vib3-embed',
  };
}

/** A PHP literal for a JSON-like value (arrays as `array( … )`, strings single-quoted). */
export function phpLiteral(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return Number.isInteger(value) ? String(value) : JSON.stringify(value);
  }
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const inner = `${indent}\t`;
  if (Array.isArray(value)) return value.length ? `array(\n${value.map((v) => `${inner}${phpLiteral(v, inner)},`).join('\n')}\n${indent})` : 'array()';
  const rows = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${inner}${phpLiteral(k)} => ${phpLiteral(v, inner)},`);
  return rows.length ? `array(\n${rows.join('\n')}\n${indent})` : 'array()';
}

/** includes/generated/table.php: returns the kit's version + integrity, the block name and the table. */
export function tablePhp(table: TableEntry[], kit: KitInfo): string {
  const data = { block: BLOCK_NAME, kit: { version: kit.version, integrity: kit.integrity }, entries: table };
  return [
    '<?php',
    '/**',
    ' * Generated by partners/wordpress/build.ts from the kit (src/core/params.ts PARAM_SPECS, tokens/themes,',
    ' * dist/integrity.json). Do not edit: rebuild with `npm run build`.',
    ' *',
    ' * @package Vib3Embed',
    ' */',
    '',
    "defined( 'ABSPATH' ) || exit;",
    '',
    `return ${phpLiteral(data)};`,
    '',
  ].join('\n');
}

/** Writes block.json and includes/generated/table.php into the plugin folder `dir`. */
export function generatePluginFiles(dir: string, kit: KitInfo, root = fileURLToPath(new URL('../..', import.meta.url))): void {
  if (!/^sha384-[A-Za-z0-9+/]{64}$/.test(kit.integrity)) throw new Error(`kit integrity must be a sha384 SRI value, got ${JSON.stringify(kit.integrity)}`);
  const table = buildTable(root);
  writeFileSync(join(dir, 'block.json'), `${JSON.stringify(blockJson(table, kit), null, '\t')}\n`);
  mkdirSync(join(dir, 'includes/generated'), { recursive: true });
  writeFileSync(join(dir, 'includes/generated/table.php'), tablePhp(table, kit));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, version, integrity] = process.argv.slice(2);
  if (!dir || !version || !integrity) {
    console.error('usage: node --import tsx partners/wordpress/build.ts <plugin dir> <kit version> <kit integrity>');
    process.exit(2);
  }
  generatePluginFiles(dir, { version, integrity });
}
