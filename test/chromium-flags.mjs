// The two Chromium flag sets of DESIGN §6, shared by web-test-runner, the e2e tests and the benchmarks.
export const COMMON_FLAGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];
/** WebGPU on SwiftShader (Vulkan). Without these, requestAdapter() is null: the WebGL2 fallback path. */
export const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-angle=swiftshader'];

export const FLAG_SETS = {
  webgpu: { args: [...COMMON_FLAGS, ...WEBGPU_FLAGS], expectedBackend: 'webgpu' },
  plain: { args: [...COMMON_FLAGS], expectedBackend: 'webgl2' },
};

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
