// Compile-time test (tsc -p tsconfig.test.json, part of npm test): <vib3-canvas> type-checks in React 19.
import type {} from '../../src/frameworks/react.js';

export const ok = (
  <>
    <vib3-canvas hue={120} system="holographic" geometry={9} rot4dXW={0.5} paused time={1500} renderer="auto" onvib3-ready={(e) => e.detail.backend.toUpperCase()} onvib3-error={(e) => e.detail.suggestion} />
    <vib3-theme theme="light">
      <vib3-control-panel for="v" />
    </vib3-theme>
    <vib3-install-progress value={40} state="working" />
  </>
);

// @ts-expect-error hue is a number
export const badHue = <vib3-canvas hue="red" />;
// @ts-expect-error not a system
export const badSystem = <vib3-canvas system="cubist" />;
// @ts-expect-error not a renderer
export const badRenderer = <vib3-canvas renderer="vulkan" />;
// @ts-expect-error the ready event carries { backend }
export const badEvent = <vib3-canvas onvib3-ready={(e) => e.detail.nope} />;
