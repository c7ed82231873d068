/**
 * Starts the system Chromium headless through playwright-core, with the flag sets of DESIGN §6:
 * `plain` (WebGL2 on SwiftShader; WebGPU has no adapter) or `webgpu` (WebGPU on SwiftShader's
 * Vulkan). playwright-core is loaded only when previews are rendered (it is an optional install
 * of the kit, like esbuild for `vib3 ext build`). Node-only.
 */
import { accessSync, constants } from 'node:fs';
import type { Browser } from 'playwright-core';
import { PreviewError } from './errors.js';

/** Flags every headless launch uses. */
export const COMMON_FLAGS: readonly string[] = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** WebGPU on SwiftShader (Vulkan), and never `--disable-gpu`. */
export const WEBGPU_FLAGS: readonly string[] = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-angle=swiftshader'];

/** Which flag set: `plain` (the element falls back to WebGL2) or `webgpu`. */
export type FlagSet = 'plain' | 'webgpu';

/** Where Chromium is: `VIB3_CHROMIUM`, else /usr/bin/chromium. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env['VIB3_CHROMIUM'] || '/usr/bin/chromium';
}

/** The command-line flags of a flag set. */
export function chromiumArgs(flagSet: FlagSet): string[] {
  return flagSet === 'webgpu' ? [...COMMON_FLAGS, ...WEBGPU_FLAGS] : [...COMMON_FLAGS];
}

const INSTALL_HINT = 'Install Chromium (Debian/Ubuntu: sudo apt-get install -y chromium) or point VIB3_CHROMIUM at a Chromium or Chrome executable.';

/** playwright-core's `chromium`, loaded on demand (a computed specifier keeps it out of the CLI bundle). */
async function loadPlaywright(): Promise<typeof import('playwright-core')> {
  const specifier = ['playwright', 'core'].join('-');
  try {
    return (await import(specifier)) as typeof import('playwright-core');
  } catch {
    throw new PreviewError('PLAYWRIGHT_MISSING', 'vib3 ext previews drives Chromium with playwright-core, which is not installed here.', 'Install it next to the kit: npm install --save-dev playwright-core (no browser download is needed: the system Chromium is used).');
  }
}

/** Options of {@link launchChromium}. */
export interface LaunchOptions {
  /**
   * Whether playwright closes the browser (and exits the process) on SIGINT / SIGTERM / SIGHUP
   * (default true). Long-running callers with their own shutdown (vib3 mcp) pass false.
   */
  handleSignals?: boolean;
}

/**
 * Launches headless Chromium with `flagSet`.
 * @throws PreviewError CHROMIUM_NOT_FOUND when the executable is missing or does not start, PLAYWRIGHT_MISSING.
 */
export async function launchChromium(flagSet: FlagSet, env: NodeJS.ProcessEnv = process.env, options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = chromiumPath(env);
  try {
    accessSync(executablePath, constants.X_OK);
  } catch {
    throw new PreviewError('CHROMIUM_NOT_FOUND', `No Chromium executable at ${executablePath}.`, INSTALL_HINT);
  }
  const { chromium } = await loadPlaywright();
  try {
    const signals = options.handleSignals ?? true;
    return await chromium.launch({ executablePath, headless: true, args: chromiumArgs(flagSet), handleSIGINT: signals, handleSIGTERM: signals, handleSIGHUP: signals });
  } catch (err) {
    throw new PreviewError('CHROMIUM_NOT_FOUND', `Chromium at ${executablePath} did not start: ${(err as Error).message.split('\n')[0]}`, INSTALL_HINT);
  }
}
