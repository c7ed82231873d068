export default {
  globs: ['src/element/vib3-canvas.ts', 'src/element/renderer-registry.ts', 'src/element/options.ts', 'src/element/renderer-controller.ts', 'src/element/viewport-controller.ts', 'src/theme/vib3-theme.ts', 'components/*.ts', 'components/marketplace/*.ts', 'components/agent/*.ts', 'components/telemetry/dashboard.ts'],
  exclude: ['components/index.ts', 'components/i18n.ts', 'components/shared-styles.ts', 'components/marketplace/format.ts', 'components/marketplace/styles.ts'],
  outdir: '.',
  litelement: true,
  packagejson: false,
};
