/**
 * Builds the deployable theme app extension into dist/partners/shopify/ (run after the kit build:
 * `node --import tsx partners/shopify/build.ts [--out DIR]`, or scripts/build-shopify.mjs):
 *
 *   shopify.extension.toml        copied
 *   blocks/vib3.liquid            generated from block-template.liquid and the parameter table
 *   locales/en.default.json       the storefront strings (default alt and fallback texts)
 *   assets/vib3-block.css         copied
 *   assets/vib3.iife.js           the kit's script-tag build, checked against dist/integrity.json
 *   assets/geometry-worker.js     what vib3.iife.js loads next to itself, checked the same way
 *   assets/render-worker.js       the same (the render worker draws every element but the page's first)
 *
 * Shopify's asset folder is flat, and the kit finds its workers next to its own URL, so the files
 * sit side by side under the extension's asset URL.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildBlock, defaultLocale } from './block.js';

/** Kit files copied into assets/, by their path in the package. */
export const KIT_ASSETS = ['dist/vib3.iife.js', 'dist/geometry-worker.js', 'dist/render-worker.js'] as const;
const SOURCE = dirname(fileURLToPath(import.meta.url));

/** Where to build from and to. */
export interface BuildOptions {
  /** The repository (package) root with a built dist/. */
  root: string;
  /** Output folder (default `<root>/dist/partners/shopify`). */
  out?: string;
}

function checkedKitFile(root: string, path: string, integrity: Record<string, { integrity: string }>): Buffer {
  const bytes = readFileSync(join(root, path));
  const expected = integrity[path]?.integrity;
  const actual = `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
  if (expected !== actual) throw new Error(`${path} does not match dist/integrity.json (${expected ?? 'no entry'}); rebuild the kit (npm run build).`);
  return bytes;
}

/** Writes the extension; returns the output folder. */
export function buildShopifyExtension({ root, out = join(root, 'dist/partners/shopify') }: BuildOptions): string {
  const integrity = (JSON.parse(readFileSync(join(root, 'dist/integrity.json'), 'utf8')) as { files: Record<string, { integrity: string }> }).files;
  const kit = KIT_ASSETS.map((path) => [path, checkedKitFile(root, path, integrity)] as const);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'blocks'), { recursive: true });
  mkdirSync(join(out, 'assets'), { recursive: true });
  mkdirSync(join(out, 'locales'), { recursive: true });
  copyFileSync(join(SOURCE, 'shopify.extension.toml'), join(out, 'shopify.extension.toml'));
  copyFileSync(join(SOURCE, 'assets/vib3-block.css'), join(out, 'assets/vib3-block.css'));
  writeFileSync(join(out, 'locales/en.default.json'), `${JSON.stringify(defaultLocale(), null, 2)}\n`);
  writeFileSync(join(out, 'blocks/vib3.liquid'), buildBlock(readFileSync(join(SOURCE, 'block-template.liquid'), 'utf8')));
  for (const [path, bytes] of kit) writeFileSync(join(out, 'assets', path.split('/').pop()!), bytes);
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const at = process.argv.indexOf('--out');
  const out = at > 0 ? resolve(process.argv[at + 1] ?? '') : undefined;
  const dir = buildShopifyExtension({ root: resolve(SOURCE, '../..'), ...(out ? { out } : {}) });
  console.log(`Shopify theme app extension: ${dir}`);
}
