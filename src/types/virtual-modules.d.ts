/** URL of the built geometry worker, resolved by the bundler (scripts/geometry-worker-plugin.mjs). */
declare module 'virtual:vib3-geometry-worker-url' {
  const url: string;
  export default url;
}

/** URL of the extension sandbox frame (dist/sandbox/frame.html), resolved by the bundlers. */
declare module 'virtual:vib3-sandbox-frame-url' {
  const url: string;
  export default url;
}

/** Source text of the extension worker shim (workers/sandbox/extension-worker.ts, built), inlined by the bundlers. */
declare module 'virtual:vib3-extension-worker-source' {
  const source: string;
  export default source;
}

/** URL of the built render worker (dist/render-worker.js), resolved by the bundlers (scripts/geometry-worker-plugin.mjs). */
declare module 'virtual:vib3-render-worker-url' {
  const url: string;
  export default url;
}
