/**
 * The implementations behind `vib3 ext create|build|lint|keygen|pack|sign|verify|inspect|test`
 * (their command-line definitions are in `commands/ext.ts`).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync, renameSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { VERSION } from '../core/version.js';

declare const __VIB3_ESBUILD_VERSION__: string | undefined;
/** The esbuild version scaffolded extensions pin (the one the kit is built and tested with). */
const ESBUILD_VERSION: string = typeof __VIB3_ESBUILD_VERSION__ === 'string' ? __VIB3_ESBUILD_VERSION__ : '0.27.7';
import { lintManifest } from '../extensions/manifest/lint.js';
import type { ManifestProblem } from '../extensions/manifest/problems.js';
import type { Vib3ExtensionManifest } from '../extensions/manifest/manifest.generated.js';
import { generateEd25519, keyIdOf, type Ed25519Jwk } from '../extensions/signing/ed25519.js';
import { packFiles, signPackage, verifyPackage, MANIFEST_FILE } from '../extensions/signing/package.js';
import { readArchive } from '../extensions/signing/archive.js';
import { collectPackageFiles } from './fs-files.js';
import { extensionSbom, sbomFile } from '../supply-chain/node/extension-sbom.js';
import { addProvenance } from '../supply-chain/node/extension-provenance.js';
import { checkExtensionSupplyChain, isShippedCode, sbomPathOf } from '../supply-chain/extension-artifacts.js';
import { checkSbomFiles, readSbom } from '../supply-chain/sbom-files.js';
import { SupplyChainError } from '../supply-chain/errors.js';
import { CliError, type Io } from './errors.js';
import { buildToolPack, lintToolPack, type LintProblem } from './ext-toolpack.js';

/** Re-exported for callers of this module (the classes live in `./errors.ts`). */
export { CliError, type Io } from './errors.js';

/** Templates `vib3 ext create --template` offers. */
export const TEMPLATES = ['renderer', 'geometry', 'toolpack', 'ui-widget'] as const;
/** One of {@link TEMPLATES}. */
export type TemplateName = (typeof TEMPLATES)[number];

const templatesRoot = () => {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, 'templates'), join(here, '..', 'src', 'cli', 'templates'), join(here, '..', '..', 'src', 'cli', 'templates')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new CliError('templates folder not found next to the CLI.', 1, 'TEMPLATES_NOT_FOUND', 'Reinstall vib3-embed: dist/cli/templates is missing.');
};

function readManifest(dir: string): Vib3ExtensionManifest {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) throw new CliError(`${file} not found.`, 2, 'MANIFEST_NOT_FOUND', 'Run this in an extension folder, or pass the folder.');
  return JSON.parse(readFileSync(file, 'utf8')) as Vib3ExtensionManifest;
}

function formatProblem(p: ManifestProblem | LintProblem): string {
  return `  ${p.severity === 'error' ? 'error  ' : 'warning'} ${p.code.padEnd(30)} ${p.pointer || '/'}\n          ${p.message}\n          -> ${p.suggestion}`;
}

// ------------------------------------------------------------------ create

/** Name parts written in capitals in a title ("ui-widget" -> "UI Widget"). */
const ACRONYMS = new Set(['ui', 'api', 'ai', 'css', 'html', 'svg', '3d', '4d', 'gpu', 'xr', 'vr', 'ar']);

/** `vib3 ext create <name> --template <t>`: writes a ready-to-build extension project. */
export function create(io: Io, name: string, template: string, opts: { dir?: string; id?: string; publisher?: string }): string {
  if (!name) throw new CliError('ext create needs the extension\'s name, e.g. "vib3 ext create my-shape --template geometry".', 2, 'MISSING_NAME', 'Run "vib3 ext create --help" for usage.');
  if (!/^[a-z][a-z0-9-]{1,40}$/.test(name)) throw new CliError(`name ${JSON.stringify(name)} is not valid.`, 2, 'INVALID_NAME', 'Use lowercase letters, digits and dashes (2-41 characters), starting with a letter.');
  if (!(TEMPLATES as readonly string[]).includes(template)) throw new CliError(`--template must be one of: ${TEMPLATES.join(', ')}.`, 2, 'INVALID_TEMPLATE', 'Run "vib3 ext create --help" for the templates.');
  const target = resolve(opts.dir ?? name);
  if (existsSync(target) && readdirSync(target).length > 0) throw new CliError(`${target} exists and is not empty.`, 1, 'TARGET_NOT_EMPTY', 'Choose another folder with --dir, or another name.');
  const id = opts.id ?? `com.example.${name}`;
  const vars: Record<string, string> = {
    __NAME__: name,
    __ID__: id,
    __TITLE__: name.split('-').map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1))).join(' '),
    __PUBLISHER__: opts.publisher ?? 'Example Publisher',
    __KEY_ID__: 'ed25519:AAAAAAAAAAAAAAAAAAAAAA',
    // The exact kit version running this command, and the esbuild it was built and tested with.
    __KIT_VERSION__: VERSION,
    __ESBUILD_VERSION__: ESBUILD_VERSION,
  };
  const source = join(templatesRoot(), template);
  const copy = (from: string, to: string) => {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from)) {
      const src = join(from, entry);
      const dest = join(to, entry.replace(/\.tmpl$/, ''));
      if (statSync(src).isDirectory()) copy(src, dest);
      else if (entry.endsWith('.tmpl')) writeFileSync(dest, readFileSync(src, 'utf8').replace(/__[A-Z_]+__/g, (m: string) => vars[m] ?? m));
      else writeFileSync(dest, readFileSync(src));
    }
  };
  copy(source, target);
  io.out(`Created ${template} extension "${name}" (${id}) in ${target}`);
  io.out('Next: vib3 ext keygen --set .   then   npm run build && npm run lint && npm test');
  return target;
}

// ------------------------------------------------------------------ build

/**
 * `vib3 ext build`: bundles the worker entry with esbuild, writes the tool pack (a validated
 * toolpack.json at `entrypoints.toolPack`, from the worker's tools), and the SBOM of
 * what was bundled (`dist/sbom.cdx.json`, from esbuild's metafile; the metafile itself goes to
 * `.vib3-build/metafile.json`, which is not packed).
 */
export async function build(io: Io, dir = '.'): Promise<void> {
  const root = resolve(dir);
  const manifest = readManifest(root);
  const { build: esbuild, version: esbuildVersion } = await import('esbuild').catch(() => {
    throw new CliError('vib3 ext build bundles with esbuild, which is not installed here.', 1, 'ESBUILD_MISSING', `Install it next to the kit: npm install --save-dev esbuild@${ESBUILD_VERSION}`);
  });
  const entries: { src: string; out: string }[] = [];
  const pick = (base: string) => ['ts', 'js', 'mjs'].map((ext) => join(root, 'src', `${base}.${ext}`)).find((f) => existsSync(f));
  const worker = pick('worker');
  if (!worker) throw new CliError('src/worker.ts (or .js) not found.', 1, 'ENTRY_NOT_FOUND', 'Every extension has a worker entry: src/worker.ts, .js or .mjs.');
  entries.push({ src: worker, out: join(root, manifest.entrypoints.worker) });
  if (manifest.entrypoints.ui) io.err('warning: entrypoints.ui is never run (a widget describes its UI with view() in the worker); it is not built.');
  const outputs: string[] = [];
  const metafile: { inputs: Record<string, unknown>; outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> } = { inputs: {}, outputs: {} };
  for (const e of entries) {
    const result = await esbuild({
      entryPoints: [e.src],
      outfile: e.out,
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      mainFields: ['module', 'main'],
      conditions: ['import', 'default'],
      sourcemap: false,
      legalComments: 'none',
      logLevel: 'error',
      metafile: true,
      absWorkingDir: root,
    });
    Object.assign(metafile.inputs, result.metafile.inputs);
    Object.assign(metafile.outputs, result.metafile.outputs);
    outputs.push(e.out);
    io.out(`built ${e.out.slice(root.length + 1)}`);
  }
  const toolPack = await buildToolPack(io, root, manifest, join(root, manifest.entrypoints.worker));
  if (toolPack) outputs.push(toolPack);
  mkdirSync(join(root, '.vib3-build'), { recursive: true });
  writeFileSync(join(root, '.vib3-build', 'metafile.json'), `${JSON.stringify(metafile, null, 2)}\n`);
  const sbom = extensionSbom({ root, manifest, metafile, outputs, tools: [{ name: 'vib3-embed', version: VERSION }, { name: 'esbuild', version: esbuildVersion }] });
  for (const w of sbom.warnings) io.err(`warning: ${w}`);
  writeFileSync(sbomFile(root), sbom.json);
  const listed = sbom.packages.map((p) => `${p.name}@${p.version}`);
  io.out(`wrote dist/sbom.cdx.json (${listed.length} bundled package${listed.length === 1 ? '' : 's'}${listed.length ? `: ${listed.join(', ')}` : ''})`);
}

// ------------------------------------------------------------------ lint

/**
 * `vib3 ext lint [dir]`: every problem with pointer, code and suggestion: the manifest's, then its
 * tool pack's (`entrypoints.toolPack`, checked against the manifest; pointers are
 * `<file>#<pointer>`). Returns true when there is no error.
 */
export function lint(io: Io, target = '.', opts: { json?: boolean } = {}): boolean {
  const path = statSync(target).isDirectory() ? join(target, MANIFEST_FILE) : target;
  if (!existsSync(path)) throw new CliError(`${path} not found.`, 2, 'MANIFEST_NOT_FOUND', 'Pass an extension folder or its extension.json.');
  const result = lintManifest(readFileSync(path, 'utf8'));
  const problems: (ManifestProblem | LintProblem)[] = [...result.problems, ...(result.manifest ? lintToolPack(dirname(path), result.manifest) : [])];
  const valid = !problems.some((p) => p.severity === 'error');
  if (opts.json) {
    io.out(JSON.stringify({ file: path, valid, problems }, null, 2));
    return valid;
  }
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  io.out(`${path}: ${errors} error(s), ${warnings} warning(s)`);
  for (const p of problems) io.out(formatProblem(p));
  return valid;
}

/** `vib3 ext lint --report <folder>`: lints every manifest in a folder and prints the share that passes. */
export function report(io: Io, folder: string): { total: number; passed: number } {
  const manifests: string[] = [];
  for (const entry of readdirSync(folder).sort()) {
    const p = join(folder, entry);
    if (statSync(p).isDirectory() && existsSync(join(p, MANIFEST_FILE))) manifests.push(join(p, MANIFEST_FILE));
    else if (entry.endsWith('.json')) manifests.push(p);
  }
  let passed = 0;
  for (const m of manifests) {
    const result = lintManifest(readFileSync(m, 'utf8'));
    if (result.valid) passed++;
    const codes = [...new Set(result.problems.filter((p) => p.severity === 'error').map((p) => p.code))];
    io.out(`${result.valid ? 'PASS' : 'FAIL'}  ${m.slice(folder.length + 1)}${codes.length ? `  (${codes.join(', ')})` : ''}`);
  }
  const share = manifests.length ? (100 * passed) / manifests.length : 0;
  io.out(`compliance: ${passed}/${manifests.length} manifests pass (${share.toFixed(1)}%)`);
  return { total: manifests.length, passed };
}

// ------------------------------------------------------------------ keys

/** `vib3 ext keygen`: writes <name>.private.jwk (mode 600) and <name>.public.jwk; optionally sets publisher.keyId. */
export async function keygen(io: Io, opts: { out?: string; name?: string; set?: string }): Promise<{ keyId: string; privatePath: string; publicPath: string }> {
  const { publicJwk, privateJwk } = await generateEd25519();
  const keyId = await keyIdOf(publicJwk);
  const out = resolve(opts.out ?? '.keys');
  mkdirSync(out, { recursive: true });
  const name = opts.name ?? 'publisher';
  const privatePath = join(out, `${name}.private.jwk`);
  const publicPath = join(out, `${name}.public.jwk`);
  if (existsSync(privatePath)) throw new CliError(`${privatePath} exists; refusing to overwrite a private key.`, 1, 'KEY_EXISTS', 'Choose another --name or --out.');
  writeFileSync(privatePath, `${JSON.stringify({ ...privateJwk, kid: keyId }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(privatePath, 0o600);
  writeFileSync(publicPath, `${JSON.stringify({ ...publicJwk, kid: keyId }, null, 2)}\n`);
  io.out(`keyId ${keyId}\nprivate key: ${privatePath} (keep it secret; never commit it)\npublic key:  ${publicPath}`);
  if (opts.set) {
    const file = join(resolve(opts.set), MANIFEST_FILE);
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Vib3ExtensionManifest;
    manifest.publisher.keyId = keyId;
    writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
    io.out(`set publisher.keyId in ${file}`);
  }
  return { keyId, privatePath, publicPath };
}

function readJwk(path: string): Ed25519Jwk {
  if (!existsSync(path)) throw new CliError(`key file ${path} not found.`, 2, 'KEY_NOT_FOUND', 'Create a key pair with vib3 ext keygen.');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Ed25519Jwk;
  } catch {
    throw new CliError(`${path} is not a JSON Web Key.`, 2, 'INVALID_KEY', 'Pass a .jwk file written by vib3 ext keygen.');
  }
}

// ------------------------------------------------------------------ pack / sign / verify

/**
 * `vib3 ext pack [dir]`: lints, checks that the SBOM (when there is one) describes the shipped code,
 * then writes <id>-<version>.vib3x (unsigned, deterministic bytes).
 */
export async function pack(io: Io, dir = '.', opts: { out?: string } = {}): Promise<string> {
  const root = resolve(dir);
  const manifest = readManifest(root);
  const result = lintManifest(manifest);
  if (!result.valid) {
    for (const p of result.problems) io.err(formatProblem(p));
    throw new CliError('extension.json has errors; fix them before packing.', 1, 'MANIFEST_INVALID', 'vib3 ext lint lists every problem with a suggestion.');
  }
  const files = collectPackageFiles(root);
  for (const [key, path] of Object.entries(manifest.entrypoints)) {
    if (!files.has(path)) throw new CliError(`entrypoints.${key} (${path}) is not in the package.`, 1, 'ENTRYPOINT_MISSING', 'Run vib3 ext build first.');
  }
  const sbomPath = sbomPathOf(files);
  if (sbomPath) {
    await checkSbomFiles(readSbom(files.get(sbomPath)!, sbomPath), files, isShippedCode).catch((err: unknown) => {
      if (err instanceof SupplyChainError) throw new CliError(`${err.message}`, 1, err.code, 'Run vib3 ext build again so the SBOM describes the files you ship (and remove stale files from dist/).');
      throw err;
    });
  }
  const out = resolve(opts.out ?? join(root, `${manifest.id}-${manifest.version}.vib3x`));
  writeFileSync(out, packFiles(files));
  io.out(`packed ${files.size} files into ${out}`);
  return out;
}

/**
 * `vib3 ext sign <package> --key <private.jwk>`: adds the signed provenance statement
 * (`provenance.intoto.json`, unless `provenance: false`), then signs the package.
 */
export async function sign(io: Io, pkgPath: string, opts: { key?: string; out?: string; provenance?: boolean; builderId?: string; sourceDir?: string }): Promise<string> {
  if (!opts.key) throw new CliError('ext sign needs --key <private.jwk>.', 2, 'MISSING_OPTION', 'Run "vib3 ext sign --help" for usage.');
  const key = readJwk(opts.key);
  let archive: Uint8Array = readFileSync(pkgPath);
  if (opts.provenance !== false) {
    const sourceDir = resolve(opts.sourceDir ?? dirname(pkgPath));
    const added = await addProvenance(archive, key, { kitVersion: VERSION, sourceDir, ...(opts.builderId ? { builderId: opts.builderId } : {}) }).catch((err: Error) => {
      throw new CliError(err.message, 1, 'SIGN_FAILED', 'Check that the package was written by vib3 ext pack and the key is an Ed25519 private JWK.');
    });
    archive = added.archive;
    io.out(`provenance: ${added.subjects} files attested, builder ${added.builderId}`);
  }
  const signed = await signPackage(archive, key).catch((err: Error) => {
    throw new CliError(err.message, 1, 'SIGN_FAILED', 'Check that the key is the private key whose keyId is publisher.keyId in extension.json.');
  });
  const out = resolve(opts.out ?? pkgPath);
  const tmp = `${out}.tmp`;
  writeFileSync(tmp, signed);
  renameSync(tmp, out); // never leave a half-written package
  io.out(`signed ${out}`);
  return out;
}

/**
 * `vib3 ext verify <package> --trust <public.jwk | folder of .jwk>`: returns true when it verifies.
 * With `provenance`, the package must also carry an SBOM that matches its shipped code and a
 * provenance statement signed by a trusted key over its files (from an allowed builder, if given).
 */
export async function verify(io: Io, pkgPath: string, opts: { trust?: string; json?: boolean; provenance?: boolean; allowedBuilders?: string[] }): Promise<boolean> {
  if (!opts.trust) throw new CliError('ext verify needs --trust <public.jwk or folder>.', 2, 'MISSING_OPTION', 'Run "vib3 ext verify --help" for usage.');
  const keys = new Map<string, Ed25519Jwk>();
  const files = statSync(opts.trust).isDirectory() ? readdirSync(opts.trust).filter((f) => f.endsWith('.public.jwk') || f.endsWith('.jwk')).map((f) => join(opts.trust!, f)) : [opts.trust];
  for (const f of files) {
    const jwk = readJwk(f);
    const { d: _private, ...pub } = jwk;
    keys.set(await keyIdOf(pub as Ed25519Jwk), pub as Ed25519Jwk);
  }
  const result = await verifyPackage(readFileSync(pkgPath), keys);
  if (result.ok && opts.provenance) return verifySupplyChain(io, result, keys, opts);
  if (opts.json) io.out(JSON.stringify(result.ok ? { ok: true, id: result.manifest.id, version: result.manifest.version, keyId: result.keyId } : result, null, 2));
  else if (result.ok) io.out(`OK ${result.manifest.id}@${result.manifest.version} signed by ${result.keyId} (${result.files.size} files)`);
  else io.out(`FAILED ${result.code}${result.path ? ` (${result.path})` : ''}: ${result.message}\n  -> ${result.suggestion}`);
  return result.ok;
}

async function verifySupplyChain(io: Io, result: Extract<Awaited<ReturnType<typeof verifyPackage>>, { ok: true }>, keys: Map<string, Ed25519Jwk>, opts: { json?: boolean; allowedBuilders?: string[] }): Promise<boolean> {
  const head = { id: result.manifest.id, version: result.manifest.version, keyId: result.keyId };
  try {
    const supplyChain = await checkExtensionSupplyChain(result.files, keys, { requireSbom: true, requireProvenance: true, ...(opts.allowedBuilders?.length ? { allowedBuilders: opts.allowedBuilders } : {}) });
    if (opts.json) io.out(JSON.stringify({ ok: true, ...head, supplyChain }, null, 2));
    else {
      io.out(`OK ${head.id}@${head.version} signed by ${head.keyId} (${result.files.size} files)`);
      io.out(`  SBOM ${supplyChain.sbom!.path}: ${supplyChain.sbom!.components} bundled package(s), ${supplyChain.sbom!.files} file(s) matching the package`);
      io.out(`  provenance: ${supplyChain.provenance!.subjects} files attested by ${supplyChain.provenance!.keyId}, builder ${supplyChain.provenance!.builderId}`);
    }
    return true;
  } catch (err) {
    if (!(err instanceof SupplyChainError)) throw err;
    if (opts.json) io.out(JSON.stringify({ ok: false, ...head, ...err.toJSON() }, null, 2));
    else io.out(`FAILED ${err.code}${err.path ? ` (${err.path})` : ''}: ${err.message}\n  -> ${err.suggestion}`);
    return false;
  }
}

/** `vib3 ext test [dir]`: runs the extension's own tests (node --test test/). */
export function test(io: Io, dir = '.'): boolean {
  const root = resolve(dir);
  const testDir = join(root, 'test');
  if (!existsSync(testDir)) throw new CliError('no test/ folder.', 1, 'NO_TESTS', 'Put node:test files (*.test.js / *.test.mjs) in test/.');
  const files = readdirSync(testDir).filter((f) => /\.test\.m?js$/.test(f)).map((f) => join('test', f));
  // NODE_TEST_CONTEXT (set when vib3 itself runs under node --test) would switch the child's
  // reporter to a binary protocol; the extension's own tests always report to the terminal.
  const env = { ...process.env };
  delete env['NODE_TEST_CONTEXT'];
  const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap', ...files], { cwd: root, encoding: 'utf8', env });
  io.out(r.stdout);
  if (r.stderr) io.err(r.stderr);
  return r.status === 0;
}

/** Lists the files of a package (for `vib3 ext inspect`). */
export function inspect(io: Io, pkgPath: string): void {
  const files = readArchive(readFileSync(pkgPath));
  io.out(`${basename(pkgPath)}: ${files.size} files`);
  for (const [p, b] of files) io.out(`  ${String(b.length).padStart(8)}  ${p}`);
}

