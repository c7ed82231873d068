export default {
  globs: ['src/element/vib3-canvas.ts'],
  outdir: '.',
  litelement: true,
  packagejson: false,
};
