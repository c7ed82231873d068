/**
 * The kit's own tool pack, `vib3.canvas`: the tools that drive one `<vib3-canvas>` (DESIGN §8).
 * The parameter schemas are made from the parameter table (PARAM_SPECS), so they never drift
 * from what the element accepts. The pack is a valid toolpack.json (validated in the unit tests
 * and exported by `vib3 toolpack export --kit`).
 */
import { PARAM_SPECS, SYSTEMS, type ParamSpec } from '../../core/params.js';
import { GEOMETRY_COUNT } from '../../core/geometry.js';
import { MESH_MODES, MESH_NAMES } from '../../geometry/names.js';
import { ROTATION_PLANES } from '../../core/rotation.js';
import { VERSION } from '../../core/version.js';
import { MCP_PROTOCOL_VERSIONS } from '../toolpack/from-extension.js';
import type { ToolObjectSchema, ToolPackTool, Vib3ToolPack } from '../toolpack/toolpack.generated.js';

/** Largest edge of a `render_snapshot` image. */
export const SNAPSHOT_MAX_EDGE = 1024;

const paramSchema = (s: ParamSpec): Record<string, unknown> =>
  s.kind === 'enum'
    ? { type: 'string', enum: [...s.values], description: s.description }
    : { type: s.kind === 'int' ? 'integer' : 'number', minimum: s.min, maximum: s.max, description: s.description };

const paramProperties = (): Record<string, Record<string, unknown>> => Object.fromEntries(PARAM_SPECS.map((s) => [s.name, paramSchema(s)]));

/** The full parameter set as an object schema (every parameter required). */
const paramsObject = (): Record<string, unknown> => ({ type: 'object', properties: paramProperties(), required: PARAM_SPECS.map((s) => s.name), additionalProperties: false });

const object = (properties: Record<string, object>, required: string[] = [], extra: Record<string, unknown> = {}): ToolObjectSchema => ({ type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false, ...extra });

const paramsResult = (): ToolObjectSchema => object({ params: paramsObject() }, ['params']);

const geometryInfo = (): Record<string, unknown> => ({
  type: 'object',
  properties: {
    index: { type: 'integer', minimum: 0, maximum: GEOMETRY_COUNT - 1 },
    base: { type: 'integer' },
    core: { type: 'integer' },
    baseName: { type: 'string' },
    coreName: { type: 'string' },
    label: { type: 'string' },
  },
  required: ['index', 'base', 'core', 'baseName', 'coreName', 'label'],
});

const planeKey = (plane: string) => plane.toLowerCase();

/** A kit tool: the MCP Tool with the kit's policy beside it. */
const tool = (t: Omit<ToolPackTool, 'requires'> & { requires?: ToolPackTool['requires'] }): ToolPackTool => ({ requires: ['rendering'], ...t });

/** The canvas pack's tools, in the order `tools/list` shows them. */
function canvasTools(): ToolPackTool[] {
  return [
    tool({
      name: 'set_params',
      title: 'Set visual parameters',
      description: `Sets any subset of the VIB3 parameters as top-level properties, e.g. { "system": "holographic", "hue": 280 }. Systems: ${SYSTEMS.join(', ')}; geometry is an index 0..${GEOMETRY_COUNT - 1} (list_geometries). Returns the full parameter set after the change.`,
      inputSchema: object(paramProperties(), [], { minProperties: 1 }),
      outputSchema: object({ params: paramsObject(), changed: { type: 'array', items: { type: 'string' } } }, ['params', 'changed']),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      approval: 'destructive',
      examples: [{ title: 'Holographic, violet', input: { system: 'holographic', hue: 280 } }],
    }),
    tool({
      name: 'get_params',
      title: 'Read visual parameters',
      description: 'Returns every VIB3 parameter of the canvas as it is now.',
      inputSchema: object({}),
      outputSchema: paramsResult(),
      annotations: { readOnlyHint: true, openWorldHint: false },
      approval: 'never',
    }),
    tool({
      name: 'set_rotation',
      title: 'Rotate in 4D',
      description: `Sets the rotation angles (radians, -2π..2π) of any of the six planes: ${ROTATION_PLANES.map(planeKey).join(', ')}. Planes left out keep their angle.`,
      inputSchema: object(Object.fromEntries(ROTATION_PLANES.map((p) => [planeKey(p), { type: 'number', minimum: -Math.PI * 2, maximum: Math.PI * 2, description: `Rotation in the ${p} plane, radians.` }])), [], { minProperties: 1 }),
      outputSchema: paramsResult(),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      approval: 'destructive',
      examples: [{ title: 'Tilt into the fourth dimension', input: { xw: 0.8, zw: 0.4 } }],
    }),
    tool({
      name: 'set_mesh',
      title: 'Show a 4D mesh',
      description: `Shows a 4D mesh over the visual (${MESH_NAMES.join(', ')}, a registered "<owner>/<shape>" mesh, or "none"), projected or sliced at w = sliceW.`,
      inputSchema: object(
        {
          mesh: { type: 'string', anyOf: [{ enum: ['none', ...MESH_NAMES] }, { pattern: '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$' }], description: 'Mesh name, or "none" to hide it.' },
          mode: { type: 'string', enum: [...MESH_MODES], description: 'projection (default) or slice.' },
          sliceW: { type: 'number', minimum: -1.5, maximum: 1.5, description: 'The w of the slicing hyperplane (slice mode).' },
        },
        ['mesh'],
      ),
      outputSchema: object({ mesh: { type: 'string' }, mode: { type: 'string', enum: [...MESH_MODES] }, sliceW: { type: 'number' } }, ['mesh', 'mode', 'sliceW']),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      approval: 'destructive',
      examples: [{ title: 'A sliced tesseract', input: { mesh: 'tesseract', mode: 'slice', sliceW: 0.2 } }],
    }),
    tool({
      name: 'set_theme',
      title: 'Apply a theme pack',
      description: 'Applies a registered theme pack to the canvas (its palette fills the parameters the page has not set). An empty string removes the theme.',
      inputSchema: object({ theme: { type: 'string', maxLength: 64, description: 'Theme pack name, e.g. "aurora"; "" for none.' } }, ['theme']),
      outputSchema: object({ theme: { type: 'string' }, params: paramsObject() }, ['theme', 'params']),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      approval: 'destructive',
    }),
    tool({
      name: 'reset',
      title: 'Reset the canvas',
      description: 'Restores every parameter to its default (then to the theme palette). Asks for approval: the current look is lost.',
      inputSchema: object({}),
      outputSchema: paramsResult(),
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
      approval: 'destructive',
    }),
    tool({
      name: 'list_geometries',
      title: 'List geometries',
      description: `Lists the ${GEOMETRY_COUNT} geometries (8 bases x 3 warp cores) with their index for set_params.`,
      inputSchema: object({}),
      outputSchema: object({ geometries: { type: 'array', items: geometryInfo() } }, ['geometries']),
      annotations: { readOnlyHint: true, openWorldHint: false },
      approval: 'never',
    }),
    tool({
      name: 'describe_geometry',
      title: 'Describe a geometry',
      description: 'Decodes a geometry index into its base shape and warp core.',
      inputSchema: object({ geometry: { type: 'integer', minimum: 0, maximum: GEOMETRY_COUNT - 1 } }, ['geometry']),
      outputSchema: object({ geometry: geometryInfo() }, ['geometry']),
      annotations: { readOnlyHint: true, openWorldHint: false },
      approval: 'never',
      examples: [{ input: { geometry: 9 } }],
    }),
    tool({
      name: 'render_snapshot',
      title: 'Render a snapshot',
      description: `Renders the canvas as it is now to a PNG (returned as MCP image content) of the given size (default 512 x 512, at most ${SNAPSHOT_MAX_EDGE} per edge).`,
      inputSchema: object({ width: { type: 'integer', minimum: 16, maximum: SNAPSHOT_MAX_EDGE }, height: { type: 'integer', minimum: 16, maximum: SNAPSHOT_MAX_EDGE } }),
      outputSchema: object(
        { width: { type: 'integer' }, height: { type: 'integer' }, mimeType: { const: 'image/png' }, bytes: { type: 'integer' }, backend: { type: 'string' }, params: paramsObject() },
        ['width', 'height', 'mimeType', 'bytes', 'backend', 'params'],
      ),
      annotations: { readOnlyHint: true, openWorldHint: false },
      approval: 'never',
      rateLimit: { perMinute: 60 },
      examples: [{ title: 'A 256 x 256 preview', input: { width: 256, height: 256 } }],
    }),
  ];
}

/** The kit's canvas tool pack (a valid toolpack.json). */
export function canvasToolPack(): Vib3ToolPack {
  const tools = canvasTools();
  return {
    id: 'vib3.canvas',
    version: VERSION,
    title: 'VIB3 canvas',
    description: 'Drives one <vib3-canvas>: parameters, 4D rotation, meshes, themes, geometries and PNG snapshots.',
    compatibility: { kit: `^${VERSION}`, mcpProtocolVersions: [...MCP_PROTOCOL_VERSIONS] as [string, ...string[]] },
    toolsets: [
      { name: 'read', title: 'Read only', tools: ['get_params', 'list_geometries', 'describe_geometry', 'render_snapshot'] },
      { name: 'edit', title: 'Change the visual', tools: ['set_params', 'set_rotation', 'set_mesh', 'set_theme', 'reset'] },
    ],
    tools: tools as Vib3ToolPack['tools'],
  };
}
