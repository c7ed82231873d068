#!/usr/bin/env node
// The WordPress plugin (partners/wordpress/) as WordPress installs it, after `node scripts/build.mjs`:
//
//   dist/partners/wordpress/vib3-embed/           the plugin folder: the PHP, editor script, stylesheet
//                                                  and readme.txt from partners/wordpress/, the files
//                                                  generated from the kit (block.json,
//                                                  includes/generated/table.php: partners/wordpress/build.ts)
//                                                  and the kit's script-tag files in kit/ (vib3.iife.js and
//                                                  the geometry-worker.js and render-worker.js it loads
//                                                  next to itself; the WASM kernels are inlined in the workers)
//   dist/partners/vib3-embed-wordpress-<version>.zip   that folder, zipped deterministically (sorted
//                                                  entries, fixed times: SOURCE_DATE_EPOCH or 2000-01-01)
//
// The plugin's version, its readme's Stable tag and the kit's version are package.json's. The kit's
// integrity value is the sha384 of the copied file and must equal dist/integrity.json's.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { tsImport } from 'tsx/esm/api';

const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = join(root, 'partners/wordpress');
/** What ships from partners/wordpress/ (build.ts, the generator, does not). */
const PLUGIN_FILES = ['vib3-embed.php', 'readme.txt', 'includes', 'src', 'assets'];
/** The kit files the script tag needs, from dist/ to kit/. */
const KIT_FILES = ['vib3.iife.js', 'geometry-worker.js', 'render-worker.js'];
const SLUG = 'vib3-embed';

/** The DOS time a zip entry carries: SOURCE_DATE_EPOCH or 2000-01-01, the same fields in every time zone. */
function zipTime() {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const utc = epoch ? new Date(Number(epoch) * 1000) : new Date(Date.UTC(2000, 0, 1));
  return new Date(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes(), utc.getUTCSeconds());
}

/** Every file under dir, relative, sorted. */
function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath ?? d.path, d.name)).split('\\').join('/'))
    .sort();
}

/** Sets the plugin header's `Version:` and the readme's `Stable tag:` to the package version. */
function stampVersion(pluginDir, version) {
  const stamp = (file, pattern, line) => {
    const path = join(pluginDir, file);
    const text = readFileSync(path, 'utf8');
    if (!pattern.test(text)) throw new Error(`${file}: no line matching ${pattern}`);
    writeFileSync(path, text.replace(pattern, line));
  };
  stamp('vib3-embed.php', /^ \* Version:[ \t]*\S+$/m, ` * Version:           ${version}`);
  stamp('readme.txt', /^Stable tag:[ \t]*\S+$/m, `Stable tag: ${version}`);
}

/** The plugin directory's readme rules the build can check: headers, short description, sections. */
function checkReadme(text, version) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const problems = [];
  if (!/^=== .+ ===$/.test(lines[0])) problems.push('the first line must be "=== Plugin Name ==="');
  const blank = lines.indexOf('');
  const headers = Object.fromEntries(lines.slice(1, blank).map((l) => l.split(/:\s*/, 2)));
  for (const h of ['Contributors', 'Tags', 'Requires at least', 'Tested up to', 'Stable tag', 'License']) if (!headers[h]) problems.push(`header "${h}" missing`);
  if (headers['Stable tag'] !== version) problems.push(`Stable tag ${headers['Stable tag']} is not the package version ${version}`);
  if ((headers.Tags ?? '').split(',').length > 5) problems.push('at most 5 tags');
  const short = lines[blank + 1] ?? '';
  if (!short || short.startsWith('==') || short.length > 150) problems.push(`the short description (line ${blank + 2}) must be 1..150 characters, got ${short.length}`);
  for (const s of ['Description', 'Installation', 'Changelog']) if (!lines.includes(`== ${s} ==`)) problems.push(`section "== ${s} ==" missing`);
  if (problems.length) throw new Error(`readme.txt is not valid for the plugin directory:\n  ${problems.join('\n  ')}`);
}

/**
 * Assembles the plugin folder and its zip.
 * @param {{ dist?: string }} [options] `dist`: the kit's build output (default: <repo>/dist).
 * @returns {Promise<{ dir: string, zip: string, version: string, integrity: string }>}
 */
export async function buildWordPressPlugin(options = {}) {
  const dist = options.dist ?? join(root, 'dist');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const f of [...KIT_FILES, 'integrity.json']) {
    if (!existsSync(join(dist, f))) throw new Error(`${join(dist, f)} is missing: run \`node scripts/build.mjs\` first`);
  }
  const out = join(dist, 'partners');
  const pluginDir = join(out, 'wordpress', SLUG);
  rmSync(join(out, 'wordpress'), { recursive: true, force: true });
  mkdirSync(join(pluginDir, 'kit'), { recursive: true });
  for (const f of PLUGIN_FILES) cpSync(join(SOURCE, f), join(pluginDir, f), { recursive: true });
  for (const f of KIT_FILES) cpSync(join(dist, f), join(pluginDir, 'kit', f));
  stampVersion(pluginDir, version);
  checkReadme(readFileSync(join(pluginDir, 'readme.txt'), 'utf8'), version);

  const integrity = `sha384-${createHash('sha384').update(readFileSync(join(pluginDir, 'kit/vib3.iife.js'))).digest('base64')}`;
  const released = JSON.parse(readFileSync(join(dist, 'integrity.json'), 'utf8')).files?.['dist/vib3.iife.js']?.integrity;
  if (released !== integrity) throw new Error(`dist/integrity.json says ${released} for dist/vib3.iife.js, the file hashes to ${integrity}: rebuild`);
  const { generatePluginFiles } = await tsImport('../partners/wordpress/build.ts', import.meta.url);
  generatePluginFiles(pluginDir, { version, integrity });

  const mtime = zipTime();
  const entries = {};
  for (const f of listFiles(pluginDir)) {
    entries[`${SLUG}/${f}`] = [new Uint8Array(readFileSync(join(pluginDir, f))), { mtime, os: 3, attrs: (0o100644 << 16) >>> 0 }];
  }
  const zip = join(out, `${SLUG}-wordpress-${version}.zip`);
  mkdirSync(dirname(zip), { recursive: true });
  for (const old of readdirSync(out).filter((f) => /^vib3-embed-wordpress-.*\.zip$/.test(f))) rmSync(join(out, old));
  writeFileSync(zip, zipSync(entries, { level: 9 }));
  return { dir: pluginDir, zip, version, integrity };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { zip, dir } = await buildWordPressPlugin();
  console.log(`WordPress plugin: ${relative(root, dir)}/ and ${relative(root, zip)} (${(readFileSync(zip).length / 1024).toFixed(1)} KB)`);
}
