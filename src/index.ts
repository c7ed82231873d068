/**
 * VIB3 Embed Kit: `<vib3-canvas>` and the VIB3 math it is built on.
 *
 * Importing this module registers the element (once, even if the kit is loaded twice).
 * @packageDocumentation
 */
export { Vib3Canvas, setRendererFactory, MAX_DPR, MAX_SNAPSHOT_SIZE } from './element/vib3-canvas.js';
export type {
  MotionPreference,
  LoadingStrategy,
  SnapshotOptions,
  Vib3ReadyDetail,
  Vib3ParamsChangeDetail,
  Vib3ContextLostDetail,
  Vib3ContextRestoredDetail,
  Vib3RenderScaleDetail,
} from './element/vib3-canvas.js';
export { setFrameBudget, DEFAULT_DRAW_SHARE, type FrameBudgetOptions } from './element/frame-scheduler.js';
export { RenderBudget, MIN_RENDER_SCALE, type RenderScaleReason, type BudgetClient } from './element/render-budget.js';
export { define, TAG_NAME } from './element/define.js';
export { Vib3Error, type Vib3ErrorCode, type Vib3ErrorDetail } from './core/errors.js';
export {
  SYSTEMS,
  PARAM_SPECS,
  PARAM_NAMES,
  defaultParams,
  normalizeParam,
  normalizeParams,
  type Vib3Params,
  type Vib3ParamName,
  type Vib3System,
  type ParamSpec,
  type NumericParamSpec,
  type EnumParamSpec,
} from './core/params.js';
export {
  ROTATION_PLANES,
  rotate4D,
  rotationMatrix,
  planeMatrix,
  multiply4,
  transform4,
  identity4,
  type Vec4,
  type Mat4,
  type Rotation4D,
  type RotationPlane,
} from './core/rotation.js';
export { projectPerspective, projectOrthographic, projectStereographic, PROJECTION_EPSILON } from './core/projection.js';
export { paletteRgb, hueToTurns, dominantChannel } from './core/palette.js';
export { BASE_GEOMETRIES, WARP_CORES, GEOMETRY_COUNT, geometryIndex, describeGeometry, listGeometries, type GeometryInfo } from './core/geometry.js';
export type { RendererContract, RendererFactory, RendererPreference, BackendKind, RendererViewEvents } from './render/contract.js';
export { buildFrameState, breathAt, type FrameState, type PointerState, type AudioBands } from './render/frame-state.js';
export { LAYER_ROLES, layersFor, type LayerSpec, type LayerRole } from './render/layers.js';
/** The kit's version (also as `version`, the name script-tag users read from `window.Vib3`). */
export { VERSION, VERSION as version } from './core/version.js';

export {
  registerThemePack,
  listThemePacks,
  getThemePack,
  setupTheming,
  ThemePackError,
  TOKENS_VERSION,
  TOKEN_PATHS,
  TOKEN_VALUES,
  Vib3Theme,
  themeContext,
  type ThemeContextValue,
  cssVarName,
  brandColorToVisual,
  type BrandVisual,
  type BrandColorResult,
  type ThemePack,
  type TokenPath,
  type TokenProblem,
  type RegisteredThemePack,
} from './theme/index.js';

import { define } from './element/define.js';
import { setupTheming } from './theme/index.js';
setupTheming();
define();

// Mesh layer: names (the heavy geometry lives in the lazy renderer chunk and the worker).
export { MESH_NAMES, MESH_MODES, type MeshName, type MeshMode, type CustomMeshName } from './geometry/names.js';
export { setGeometryWorkerUrl } from './geometry/worker-url.js';

// Rendering off the main thread (default `auto`: the page's first element on the main thread, the others in the
// render worker; elements fall back to the main thread where the worker cannot render).
export { setRenderThread, renderThread, type RenderThreadMode } from './render/worker/render-thread.js';
export { setRenderWorkerUrl } from './render/worker/render-worker-url.js';
export { registerMesh, unregisterMesh } from './geometry/custom-meshes.js';
export type { Mesh4 } from './geometry/mesh4.js';
export type { MeshUpdateDetail } from './render/contract.js';

// Page telemetry (off by default; the OpenTelemetry pipeline is a lazy chunk loaded by enableTelemetry).
export { enableTelemetry, type PageTelemetry, type PageTelemetryOptions } from './telemetry/browser.js';
