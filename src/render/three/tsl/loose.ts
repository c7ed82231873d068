/*
 * TSL, loosely typed. The @types/three TSL typings model every node's GLSL type precisely,
 * which turns ordinary shader math (float·vec3, Fn layouts with positional inputs) into
 * walls of type errors. The node graphs here are checked where it matters: compiled by
 * three.js and exercised pixel by pixel in the browser tests on both backends.
 * Named re-exports keep tree-shaking intact.
 */
import * as T from 'three/tsl';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = (...args: any[]) => any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Node = any;

export const Fn = T.Fn as unknown as Loose;
export const If = T.If as unknown as Loose;
export const float = T.float as unknown as Loose;
export const vec2 = T.vec2 as unknown as Loose;
export const vec3 = T.vec3 as unknown as Loose;
export const vec4 = T.vec4 as unknown as Loose;
export const abs = T.abs as unknown as Loose;
export const fract = T.fract as unknown as Loose;
export const floor = T.floor as unknown as Loose;
export const min = T.min as unknown as Loose;
export const max = T.max as unknown as Loose;
export const length = T.length as unknown as Loose;
export const dot = T.dot as unknown as Loose;
export const sin = T.sin as unknown as Loose;
export const cos = T.cos as unknown as Loose;
export const atan = T.atan as unknown as Loose;
export const clamp = T.clamp as unknown as Loose;
export const mix = T.mix as unknown as Loose;
export const select = T.select as unknown as Loose;
export const smoothstep = T.smoothstep as unknown as Loose;
export const screenCoordinate: Node = T.screenCoordinate;
