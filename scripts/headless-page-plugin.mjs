// esbuild plugin for the headless canvas page of `vib3 mcp` (src/agent/headless/host-page.ts →
// dist/agent/headless-host.js): its imports of the kit's entry modules stay imports of the kit's
// own built ES files, so the page shares their modules (one element registry, one theme registry)
// instead of bundling second copies.
import { resolve } from 'node:path';

/** Source entry → the built file, relative to dist/agent/. */
const KIT_MODULES = {
  'src/index.ts': '../vib3-embed.js',
  'src/agent/index.ts': '../agent.js',
  'src/extensions/runtime/index.ts': '../extensions/runtime.js',
};

export const kitModulesExternal = {
  name: 'vib3-kit-modules-external',
  setup(build) {
    const targets = new Map(Object.entries(KIT_MODULES).map(([src, out]) => [resolve(src), out]));
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const out = targets.get(resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts'));
      return out ? { path: out, external: true } : undefined;
    });
  },
};
