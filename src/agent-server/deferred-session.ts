/**
 * A {@link CanvasSession} that is still starting: `vib3 mcp` answers the protocol handshake at
 * once (clients time out if the handshake waits for Chromium) while the canvas starts; tool
 * calls and resource reads wait for it. Node-only.
 */
import type { CanvasScene, CanvasSession } from './session.js';

/** Wraps a session that `starting` resolves to. A rejection is what every call then rejects with. */
export function deferredSession(kind: CanvasSession['kind'], starting: Promise<CanvasSession>): CanvasSession {
  // Observe a rejection here, so an early failure is not reported as unhandled; callers still see it.
  starting.catch(() => undefined);
  return {
    kind,
    listTools: async () => (await starting).listTools(),
    callTool: async (name, args, caller) => (await starting).callTool(name, args, caller),
    scene: async (): Promise<CanvasScene> => {
      const s = await starting;
      if (!s.scene) throw Object.assign(new Error('This canvas does not describe its scene.'), { code: 'NOT_SUPPORTED', suggestion: 'Read the parameters with get_params.' });
      return s.scene();
    },
    onToolsChanged(listener) {
      let off: (() => void) | undefined;
      let cancelled = false;
      starting.then(
        (s) => {
          if (!cancelled) off = s.onToolsChanged(listener);
        },
        () => undefined,
      );
      return () => {
        cancelled = true;
        off?.();
      };
    },
    close: async () => {
      const s = await starting.catch(() => undefined);
      await s?.close();
    },
  };
}
