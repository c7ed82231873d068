// Builds the extension sandbox's two trusted files (scripts/build.mjs runs this before the
// library builds that embed or reference them):
//   dist/sandbox/extension-worker.js  the worker shim (inlined into the runtime as a string)
//   dist/sandbox/frame.html           the sandbox frame: ONE self-contained file with its
//                                     bootstrap inline, so that any bundler that emits the file
//                                     (new URL(…, import.meta.url)) emits everything the frame
//                                     needs. The bootstrap adds the per-extension CSP (default-src
//                                     'none', …) before anything else runs in the frame. No static
//                                     hash-based policy: bundlers may minify the HTML (webpack does),
//                                     which changes the script's hash.
// With `metaDir`, each build's esbuild metafile is written there (sandbox-frame.json,
// sandbox-worker.json), its one output named after the file it ends up in, for the release's SBOM.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as esbuild from 'esbuild';

/** The metafile of a write:false build, its single output renamed to `file`. */
function writeMetafile(metaDir, name, result, file) {
  const [only] = Object.values(result.metafile.outputs);
  mkdirSync(metaDir, { recursive: true });
  writeFileSync(`${metaDir}/${name}.json`, `${JSON.stringify({ ...result.metafile, outputs: { [file]: only } }, null, 1)}\n`);
}

/** Builds both files into `outdir` (default dist/sandbox). */
export async function buildSandbox({ outdir = 'dist/sandbox', define = {}, metaDir } = {}) {
  mkdirSync(outdir, { recursive: true });
  const common = { bundle: true, platform: 'browser', minify: true, format: 'iife', target: 'es2022', legalComments: 'none', logLevel: 'warning', define, write: false, metafile: !!metaDir };
  const [frame, shim] = await Promise.all([
    esbuild.build({ ...common, entryPoints: ['workers/sandbox/frame.ts'] }),
    esbuild.build({ ...common, entryPoints: ['workers/sandbox/extension-worker.ts'] }),
  ]);
  if (metaDir) {
    writeMetafile(metaDir, 'sandbox-frame', frame, `${outdir}/frame.html`);
    writeMetafile(metaDir, 'sandbox-worker', shim, `${outdir}/extension-worker.js`);
  }
  writeFileSync(`${outdir}/extension-worker.js`, shim.outputFiles[0].contents);
  const script = frame.outputFiles[0].text.trim();
  if (/<\/script/i.test(script)) throw new Error('the sandbox frame script contains "</script"');
  writeFileSync(`${outdir}/frame.html`, `<!doctype html>\n<html><head><meta charset="utf-8"><title>vib3 extension sandbox</title><script>${script}</script></head><body></body></html>\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await buildSandbox();
