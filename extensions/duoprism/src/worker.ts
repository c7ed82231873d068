import { defineExtension } from 'vib3-embed/sdk';
import { checkSides, duoprism, facts, MAX_SIDES, MIN_SIDES } from './duoprism.js';

const sidesSchema = { type: 'integer', minimum: MIN_SIDES, maximum: MAX_SIDES } as const;

/**
 * Reference extension: adds the p,q-duoprisms (a family of 4D polytopes the built-in
 * geometries do not cover) and lets agents ask about them or put one on the canvas.
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
      description: 'Counts the vertices, edges, faces and cells of the p,q-duoprism.',
      inputSchema: { type: 'object', properties: { p: sidesSchema, q: sidesSchema }, required: ['p', 'q'], additionalProperties: false },
      handler(input) {
        const f = facts(input['p'] as number, input['q'] as number);
        return {
          content: [{ type: 'text', text: `The ${f.p},${f.q}-duoprism has ${f.vertices} vertices, ${f.edges} edges, ${f.faces} faces and ${f.cells} cells.` }],
          structuredContent: { ...f },
        };
      },
    },
    show_duoprism: {
      description: 'Puts the p,q-duoprism on the canvas as a 4D wireframe mesh.',
      inputSchema: { type: 'object', properties: { p: sidesSchema, q: sidesSchema }, required: ['p', 'q'], additionalProperties: false },
      handler(input, ctx) {
        const { p, q } = checkSides(input['p'], input['q']);
        ctx.geometry.publish(duoprism(p, q));
        return { content: [{ type: 'text', text: `Showing the ${p},${q}-duoprism.` }] };
      },
    },
  },
});
