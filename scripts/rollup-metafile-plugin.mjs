// A Vite / Rollup plugin that writes an esbuild-shaped metafile for the build, so the release's
// SBOM (src/supply-chain/node/bundled-packages.ts) reads every bundler the same way:
//   { outputs: { 'dist/<file>': { inputs: { '<path relative to the repository>': { bytesInOutput } } } } }
// bytesInOutput is Rollup's renderedLength (the module's code in the chunk after tree-shaking,
// before minification): 0 means the module was dropped. Virtual modules (`\0` ids) are skipped.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * @param {{ file: string, outDir?: string, root?: string }} options
 *   file    where to write the metafile (e.g. .build-meta/vite-es.json)
 *   outDir  the build's output folder as the output keys should name it (default 'dist')
 *   root    the folder input paths are relative to (default: the working directory)
 */
export function rollupMetafile({ file, outDir = 'dist', root = process.cwd() }) {
  const posix = (p) => p.split(sep).join('/');
  const inputPath = (id) => {
    const path = id.replace(/[?#].*$/, '');
    return posix(isAbsolute(path) ? relative(root, path) : path);
  };
  return {
    name: 'vib3-rollup-metafile',
    apply: 'build',
    generateBundle(_options, bundle) {
      const outputs = {};
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const inputs = {};
        for (const [id, info] of Object.entries(chunk.modules)) {
          if (id.startsWith('\0')) continue;
          inputs[inputPath(id)] = { bytesInOutput: info.renderedLength };
        }
        outputs[`${posix(outDir)}/${chunk.fileName}`] = { inputs };
      }
      const target = resolve(root, file);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, `${JSON.stringify({ outputs }, null, 1)}\n`);
    },
  };
}
