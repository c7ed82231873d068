import { defineExtension } from 'vib3-embed/sdk';
import { checkSides, duoprism, facts, MAX_SIDES, MIN_SIDES } from './duoprism.js';

const sidesSchema = { type: 'integer', minimum: MIN_SIDES, maximum: MAX_SIDES } as const;
const sidesInput = {
  type: 'object',
  properties: { p: { ...sidesSchema, description: 'Sides of the first polygon.' }, q: { ...sidesSchema, description: 'Sides of the second polygon.' } },
  required: ['p', 'q'],
  additionalProperties: false,
} as const;
const count = { type: 'integer', minimum: 0 } as const;

/**
 * Reference extension: adds the p,q-duoprisms (a family of 4D polytopes the built-in
 * geometries do not cover) and lets agents ask about them or put one on the canvas.
 * `vib3 ext build` writes the two tools to dist/tools.json as dev.vib3.duoprism.<tool>.
 */
export default defineExtension({
  kind: 'geometry',
  capabilities: ['geometry', 'agent-tools'],
  shapes: { duoprism: 'The p,q-duoprism: a p-gon times a q-gon (options: p, q; default 6, 6).' },
  generate({ options }) {
    const { p, q } = checkSides(options?.['p'] ?? 6, options?.['q'] ?? 6);
    return duoprism(p, q);
  },
  tools: {
    duoprism_facts: {
      title: 'Duoprism facts',
      description: 'Counts the vertices, edges, faces and cells of the p,q-duoprism.',
      inputSchema: sidesInput,
      outputSchema: {
        type: 'object',
        properties: { p: count, q: count, vertices: count, edges: count, faces: count, cells: count, eulerCharacteristic: { type: 'integer' } },
        required: ['p', 'q', 'vertices', 'edges', 'faces', 'cells', 'eulerCharacteristic'],
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      approval: 'never',
      examples: [{ title: 'The 6,6-duoprism', input: { p: 6, q: 6 }, output: { p: 6, q: 6, vertices: 36, edges: 72, faces: 48, cells: 12, eulerCharacteristic: 0 } }],
      handler(input) {
        const f = facts(input['p'] as number, input['q'] as number);
        return {
          content: [{ type: 'text', text: `The ${f.p},${f.q}-duoprism has ${f.vertices} vertices, ${f.edges} edges, ${f.faces} faces and ${f.cells} cells.` }],
          structuredContent: { ...f },
        };
      },
    },
    show_duoprism: {
      title: 'Show a duoprism',
      description: 'Puts the p,q-duoprism on the canvas as a 4D wireframe mesh.',
      inputSchema: sidesInput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      requires: ['geometry'],
      approval: 'never',
      rateLimit: { perMinute: 60 },
      examples: [{ title: 'A triangle times an octagon', input: { p: 3, q: 8 } }],
      handler(input, ctx) {
        const { p, q } = checkSides(input['p'], input['q']);
        ctx.geometry.publish(duoprism(p, q));
        return { content: [{ type: 'text', text: `Showing the ${p},${q}-duoprism.` }] };
      },
    },
  },
});
