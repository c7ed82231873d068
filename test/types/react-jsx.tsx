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

// The mesh layer and its event (typed from the element's option table and event map).
export const mesh = (
  <vib3-canvas mesh="tesseract" meshMode="slice" sliceW={0.3} onvib3-mesh-update={(e) => e.detail.triangles + e.detail.computeMs} onvib3-render-scale={(e) => e.detail.scale} />
);
// Meshes registered with registerMesh are named owner/shape.
export const customMesh = <vib3-canvas mesh="acme/knot" meshMode="projection" />;
// Every event of the element has its handler prop (the map and the props cannot drift apart).
export const everyEvent: Required<import('../../src/frameworks/react.js').Vib3CanvasJsxEvents> = {
  'onvib3-ready': (e) => e.detail.backend,
  'onvib3-params-change': (e) => e.detail.changed,
  'onvib3-error': (e) => e.detail.code,
  'onvib3-context-lost': (e) => e.detail.reason,
  'onvib3-context-restored': (e) => e.detail.backend,
  'onvib3-render-scale': (e) => e.detail.reason,
  'onvib3-mesh-update': (e) => e.detail.sliceW,
};
// @ts-expect-error not a mesh name
export const badMesh = <vib3-canvas mesh="cube" />;
// @ts-expect-error not a mesh mode
export const badMeshMode = <vib3-canvas meshMode="cut" />;
// @ts-expect-error sliceW is a number
export const badSliceW = <vib3-canvas sliceW="0.3" />;
// @ts-expect-error the mesh-update event carries { triangles }, not { vertices }
export const badMeshEvent = <vib3-canvas onvib3-mesh-update={(e) => e.detail.vertices} />;
