// Chromium with WebMCP: the DESIGN §6 flag sets plus the WebMCP feature. Chromium reads one
// --enable-features switch, so WebMCP joins the set's own features (e.g. Vulkan) in one list.
import { chromium } from 'playwright-core';
import { FLAG_SETS, CHROMIUM_PATH } from '../chromium-flags.mjs';

/** The flag set's arguments with `features` added to its --enable-features list. */
export function withFeatures(args, features) {
  const listed = args.filter((a) => a.startsWith('--enable-features=')).flatMap((a) => a.slice('--enable-features='.length).split(','));
  const rest = args.filter((a) => !a.startsWith('--enable-features='));
  return [...rest, `--enable-features=${[...new Set([...listed, ...features])].join(',')}`];
}

/** Launches the system Chromium with a flag set, with WebMCP on (default) or off. */
export function launchChromium(flagSet, { webmcp = true } = {}) {
  const args = webmcp ? withFeatures(FLAG_SETS[flagSet].args, ['WebMCP']) : FLAG_SETS[flagSet].args;
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args });
}
