/** URL of the built geometry worker, resolved by the bundler (scripts/geometry-worker-plugin.mjs). */
declare module 'virtual:vib3-geometry-worker-url' {
  const url: string;
  export default url;
}
