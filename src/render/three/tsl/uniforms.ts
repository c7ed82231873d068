import { Vector2, Vector4 } from 'three/webgpu';
import { uniform } from 'three/tsl';
import { ROTATION_PLANES } from '../../../core/rotation.js';
import { hueToTurns } from '../../../core/palette.js';
import type { FrameState } from '../../frame-state.js';

/**
 * The uniform set every VIB3 material reads. One set per shared renderer: values are written
 * from an element's {@link FrameState} right before that element's draw.
 */
export function createVisualUniforms() {
  return {
    /** Drawing size of the element in device pixels. */
    resolution: uniform(new Vector2(1, 1)),
    /** Top-left corner of the element's tile in the shared canvas, device pixels. */
    origin: uniform(new Vector2(0, 0)),
    timeMs: uniform(0),
    speed: uniform(1),
    /** (cos, sin) per plane, in DESIGN order XY, XZ, YZ, XW, YW, ZW. */
    rotXY: uniform(new Vector2(1, 0)),
    rotXZ: uniform(new Vector2(1, 0)),
    rotYZ: uniform(new Vector2(1, 0)),
    rotXW: uniform(new Vector2(1, 0)),
    rotYW: uniform(new Vector2(1, 0)),
    rotZW: uniform(new Vector2(1, 0)),
    projection: uniform(3.5),
    dimension: uniform(3.5),
    base: uniform(0),
    core: uniform(0),
    gridDensity: uniform(15),
    morph: uniform(1),
    chaos: uniform(0.2),
    /** Hue in turns (CSS degrees / 360): the palette puts 0 at red, 1/3 at green, 2/3 at blue. */
    hue: uniform(hueToTurns(200)),
    intensity: uniform(0.5),
    saturation: uniform(0.8),
    variation: uniform(0),
    brightness: uniform(1),
    /** xy: pointer shift in lattice units, z: click pulse, w: unused. */
    pointer: uniform(new Vector4(0, 0, 0, 0)),
    /** x: bass, y: mid, z: high. */
    audio: uniform(new Vector4(0, 0, 0, 0)),
  };
}

/** The uniform set's type. */
export type VisualUniforms = ReturnType<typeof createVisualUniforms>;

const ROT_KEYS = { XY: 'rotXY', XZ: 'rotXZ', YZ: 'rotYZ', XW: 'rotXW', YW: 'rotYW', ZW: 'rotZW' } as const;

/** Writes one element's frame into the uniforms. */
export function applyFrame(u: VisualUniforms, frame: FrameState): void {
  const p = frame.params;
  u.resolution.value.set(frame.width, frame.height);
  u.timeMs.value = frame.timeMs;
  u.speed.value = p.speed;
  for (const plane of ROTATION_PLANES) {
    const a = frame.rotation[plane];
    u[ROT_KEYS[plane]].value.set(Math.cos(a), Math.sin(a));
  }
  u.projection.value = frame.projectionDistance;
  u.dimension.value = p.dimension;
  u.base.value = p.geometry % 8;
  u.core.value = Math.floor(p.geometry / 8);
  // Bass swells the lattice a little, mid adds morph, high adds sparkle (in the palette).
  u.gridDensity.value = p.gridDensity * (1 + 0.25 * frame.audio.bass);
  u.morph.value = Math.min(2, p.morphFactor + 0.5 * frame.audio.mid);
  u.chaos.value = p.chaos;
  u.hue.value = hueToTurns(p.hue);
  u.intensity.value = p.intensity;
  u.saturation.value = p.saturation;
  u.variation.value = p.variation;
  u.brightness.value = frame.brightness;
  const k = 0.6 * frame.pointer.strength;
  u.pointer.value.set((frame.pointer.x - 0.5) * k, (0.5 - frame.pointer.y) * k, frame.pointer.click, 0);
  u.audio.value.set(frame.audio.bass, frame.audio.mid, frame.audio.high, 0);
}
