/**
 * The MCP resources of `vib3 mcp`: the parameter table (`vib3://docs/parameters`, Markdown made
 * from PARAM_SPECS), the canvas tools' docs (`vib3://docs/tools`, the kit pack's Markdown) and the
 * scene the canvas shows now (`vib3://scene/current`, JSON read from the session). Node-only.
 */
import { PARAM_SPECS, SYSTEMS, type ParamSpec } from '../core/params.js';
import { GEOMETRY_COUNT } from '../core/geometry.js';
import { canvasToolPack } from '../agent/canvas/canvas-pack.js';
import { toMarkdown } from '../agent/toolpack/export.js';
import { errorOf } from '../agent/registry/envelope.js';
import type { CanvasSession } from './session.js';

/** One resource as `resources/list` shows it. */
export interface ResourceEntry {
  uri: string;
  name: string;
  title: string;
  description: string;
  mimeType: string;
}

/** The contents of one resource as `resources/read` returns it. */
export interface ResourceText {
  uri: string;
  mimeType: string;
  text: string;
}

/** URIs of the three resources. */
export const RESOURCE_URIS = { parameters: 'vib3://docs/parameters', tools: 'vib3://docs/tools', scene: 'vib3://scene/current' } as const;

/** Every resource the server lists. */
export const RESOURCES: readonly ResourceEntry[] = [
  { uri: RESOURCE_URIS.parameters, name: 'parameters', title: 'VIB3 parameters', description: 'Every <vib3-canvas> parameter with its type, range and default (what set_params accepts).', mimeType: 'text/markdown' },
  { uri: RESOURCE_URIS.tools, name: 'tools', title: 'Canvas tools', description: 'The kit canvas tools: what each does, its policy, inputs, outputs and examples.', mimeType: 'text/markdown' },
  { uri: RESOURCE_URIS.scene, name: 'scene', title: 'Current scene', description: 'What the canvas shows now: every parameter, the mesh, the theme and the rendering backend (JSON).', mimeType: 'application/json' },
];

const TWO_PI = Math.PI * 2;
const num = (n: number): string => (Math.abs(Math.abs(n) - TWO_PI) < 1e-9 ? `${n < 0 ? '-' : ''}2π` : String(Number(n.toFixed(4))));

const row = (s: ParamSpec): string =>
  s.kind === 'enum'
    ? `| \`${s.name}\` | \`${s.attribute}\` | string | ${s.values.map((v) => `\`${v}\``).join(' / ')} | \`${s.default}\` | ${s.description} |`
    : `| \`${s.name}\` | \`${s.attribute}\` | ${s.kind === 'int' ? 'integer' : 'number'} | ${num(s.min)} .. ${num(s.max)} | ${num(s.default)} | ${s.description} |`;

/** The parameter table as Markdown (from PARAM_SPECS, the element's single source of truth). */
export function parametersMarkdown(): string {
  return [
    '# VIB3 parameters',
    '',
    'Every parameter of `<vib3-canvas>`. `set_params` takes any subset of them as top-level properties,',
    'e.g. `{ "system": "holographic", "hue": 280 }`; values outside a range are refused (INVALID_TOOL_INPUT).',
    '',
    '| Name | Attribute | Type | Range | Default | Meaning |',
    '| --- | --- | --- | --- | --- | --- |',
    ...PARAM_SPECS.map(row),
    '',
    `Systems: ${SYSTEMS.join(', ')}. Geometry is an index 0..${GEOMETRY_COUNT - 1} = core × 8 + base (list_geometries, describe_geometry).`,
    'Rotations are radians in the six planes XY, XZ, YZ, XW, YW, ZW (set_rotation takes them as xy … zw).',
    '',
  ].join('\n');
}

/** The scene as JSON: parameters from `get_params`, the rest from `session.scene()` when it has one. */
export async function sceneJson(session: CanvasSession): Promise<Record<string, unknown>> {
  const result = await session.callTool('get_params', {}, 'mcp');
  const error = errorOf(result);
  if (error) throw Object.assign(new Error(error.message), { code: error.code, suggestion: error.suggestion });
  const params = result.structuredContent?.['params'];
  // A canvas that cannot describe more than its parameters (a paired page may not) still has a scene.
  const scene = session.scene ? await session.scene().catch(() => undefined) : undefined;
  return { canvas: session.kind, params, ...(scene ?? {}) };
}

/** Reads one resource; `undefined` for a URI the server does not have. */
export async function readResource(uri: string, session: CanvasSession): Promise<ResourceText | undefined> {
  switch (uri) {
    case RESOURCE_URIS.parameters:
      return { uri, mimeType: 'text/markdown', text: parametersMarkdown() };
    case RESOURCE_URIS.tools:
      return { uri, mimeType: 'text/markdown', text: toMarkdown(canvasToolPack()) };
    case RESOURCE_URIS.scene:
      return { uri, mimeType: 'application/json', text: `${JSON.stringify(await sceneJson(session), null, 2)}\n` };
    default:
      return undefined;
  }
}
