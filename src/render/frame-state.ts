import type { Vib3Params } from '../core/params.js';
import type { Rotation4D } from '../core/rotation.js';
import { BREATH_PERIOD_MS, HOLOGRAPHIC_AUTO_ROTATION, layersFor, type LayerSpec } from './layers.js';

/** Audio band levels, each 0..1. */
export interface AudioBands {
  bass: number;
  mid: number;
  high: number;
}

/** Pointer interaction state. */
export interface PointerState {
  /** Pointer position in element space, 0..1 (0,0 = top-left). */
  x: number;
  y: number;
  /** 0..1: how strongly the pointer shifts the lattice (0 when the pointer is outside). */
  strength: number;
  /** 0..1: click pulse, decays over time. */
  click: number;
}

/** The mesh layer's state for a frame (absent when the element's `mesh` is `none`). */
export interface MeshSpec {
  /** Mesh name (a regular polytope or a parametric surface; see `MESH_NAMES`). */
  name: string;
  /** `projection`: the whole mesh rotated in 4D and projected; `slice`: its cross-section with w = sliceW. */
  mode: 'projection' | 'slice';
  /** Hyperplane offset of the slice. */
  sliceW: number;
}

/** Turn of the mesh layer per second of element time (times `speed`), added to the rotation. */
export const MESH_AUTO_ROTATION: Readonly<Partial<Record<keyof Rotation4D, number>>> = Object.freeze({ XW: 0.25, YW: 0.15, XY: 0.05 });

/** The mesh layer's rotation at a frame: the element's effective rotation plus its slow turn. */
export function meshRotation(frame: FrameState): Rotation4D {
  const r = { ...frame.rotation };
  const seconds = (frame.timeMs / 1000) * frame.params.speed;
  for (const [plane, rate] of Object.entries(MESH_AUTO_ROTATION) as [keyof Rotation4D, number][]) r[plane] += rate * seconds;
  return r;
}

/** What a renderer needs to draw one frame of one element. */
export interface FrameState {
  params: Vib3Params;
  /** Element time in milliseconds. */
  timeMs: number;
  /** Drawing-buffer size in device pixels. */
  width: number;
  height: number;
  pointer: PointerState;
  audio: AudioBands;
  /** Breath 0..1, 6 s cycle. */
  breath: number;
  /** Effective rotation (parameters plus holographic auto-rotation). */
  rotation: Rotation4D;
  /** Effective projection distance (dimension, plus 0.5·breath for holographic). */
  projectionDistance: number;
  /** Brightness multiplier from breath (faceted +30 %, quantum +40 %). */
  brightness: number;
  /** Layers to composite, back to front. */
  layers: readonly LayerSpec[];
  /** The mesh layer over the lattice, if any. */
  mesh?: MeshSpec;
}

/** Breath = (1 - cos 2πφ)/2 with φ the phase of the 6 s cycle. */
export function breathAt(timeMs: number): number {
  const phi = (((timeMs % BREATH_PERIOD_MS) + BREATH_PERIOD_MS) % BREATH_PERIOD_MS) / BREATH_PERIOD_MS;
  return (1 - Math.cos(2 * Math.PI * phi)) / 2;
}

/** The neutral pointer: centred, no influence, no click. */
export const NEUTRAL_POINTER: Readonly<PointerState> = Object.freeze({ x: 0.5, y: 0.5, strength: 0, click: 0 });
/** Silence. */
export const SILENT_AUDIO: Readonly<AudioBands> = Object.freeze({ bass: 0, mid: 0, high: 0 });

/** Builds the frame state for one element at one instant. Pure: same inputs, same output. */
export function buildFrameState(input: {
  params: Vib3Params;
  timeMs: number;
  width: number;
  height: number;
  pointer?: PointerState;
  audio?: AudioBands;
}): FrameState {
  const { params, timeMs } = input;
  const breath = breathAt(timeMs);
  const rotation: Rotation4D = {
    XY: params.rot4dXY,
    XZ: params.rot4dXZ,
    YZ: params.rot4dYZ,
    XW: params.rot4dXW,
    YW: params.rot4dYW,
    ZW: params.rot4dZW,
  };
  let projectionDistance = params.dimension;
  let brightness = 1;
  if (params.system === 'holographic') {
    const seconds = timeMs / 1000;
    for (const plane of Object.keys(HOLOGRAPHIC_AUTO_ROTATION) as (keyof Rotation4D)[]) {
      rotation[plane] += HOLOGRAPHIC_AUTO_ROTATION[plane] * seconds;
    }
    projectionDistance += 0.5 * breath;
  } else {
    brightness = 1 + (params.system === 'faceted' ? 0.3 : 0.4) * breath;
  }
  return {
    params,
    timeMs,
    width: input.width,
    height: input.height,
    pointer: input.pointer ?? NEUTRAL_POINTER,
    audio: input.audio ?? SILENT_AUDIO,
    breath,
    rotation,
    projectionDistance,
    brightness,
    layers: layersFor(params.system),
  };
}
