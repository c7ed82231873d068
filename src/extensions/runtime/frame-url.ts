/**
 * Which sandbox frame document each extension loads: the host's `frameUrl` option — one URL for
 * every extension, or a function giving each its own (frames on different sites run in different
 * browser processes, see docs/EXTENSIONS.md) — else the kit's own frame. Relative URLs resolve
 * against the page.
 */
import type { ExtensionHostOptions } from './host-types.js';

/**
 * The frame URL of each extension. A single URL (the option's, else `kitFrameUrl`, the kit's
 * dist/sandbox/frame.html as bundlers emit it) is resolved once, here; a function's answer on
 * every call.
 */
export function frameUrls(option: ExtensionHostOptions['frameUrl'], kitFrameUrl: string): (extensionId: string) => URL {
  const shared = new URL(typeof option === 'function' || !option ? kitFrameUrl : option, globalThis.location?.href);
  return (id) => (typeof option === 'function' ? new URL(option(id), globalThis.location?.href) : shared);
}
