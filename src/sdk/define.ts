import type { CapabilityName, ExtensionDefinition, ExtensionKind, ToolDescription } from './types.js';
import { CAPABILITIES } from './contract.js';
import { UI_SLOTS } from '../core/slots.js';
import { describeToolsOf } from './describe.js';
import { toolPolicyProblem } from './tool-policy.js';

/** Thrown for a malformed definition, with a stable code and a suggestion. */
export class ExtensionDefinitionError extends Error {
  readonly code: 'INVALID_DEFINITION';
  readonly suggestion: string;
  constructor(message: string, suggestion: string) {
    super(message);
    this.name = 'ExtensionDefinitionError';
    this.code = 'INVALID_DEFINITION';
    this.suggestion = suggestion;
  }
}

/** The capability each kind needs. */
export const KIND_CAPABILITY: Record<ExtensionKind, CapabilityName> = {
  renderer: 'rendering',
  geometry: 'geometry',
  toolpack: 'agent-tools',
  'ui-widget': 'ui',
};
const TOOL_NAME = /^[a-z][a-z0-9_]{0,47}$/;
const BRAND = Symbol.for('vib3.extension-definition');

/**
 * Declares an extension. The definition is checked now (kind, capabilities, required methods,
 * tool names and schemas) so mistakes surface in the author's tests, not in a user's browser.
 * `capabilities` types the context: only the APIs of declared capabilities exist on `ctx`.
 *
 * @example
 * export default defineExtension({
 *   kind: 'geometry',
 *   capabilities: ['geometry'],
 *   shapes: { tesseract: 'The 4D hypercube' },
 *   generate: () => tesseract(),
 * });
 */
export function defineExtension<const C extends CapabilityName, D extends ExtensionDefinition<C>>(definition: D & { capabilities: readonly C[] }): D {
  const d = definition as ExtensionDefinition<C>;
  const fail = (message: string, suggestion: string): never => {
    throw new ExtensionDefinitionError(message, suggestion);
  };
  if (!d || typeof d !== 'object') fail('defineExtension expects an object.', 'Pass { kind, capabilities, ... }.');
  if (!(d.kind in KIND_CAPABILITY)) fail(`Unknown kind "${String(d.kind)}".`, `Use one of: ${Object.keys(KIND_CAPABILITY).join(', ')}.`);
  if (!Array.isArray(d.capabilities)) fail('capabilities must be an array.', "List the capabilities the code uses, e.g. capabilities: ['geometry'].");
  for (const c of d.capabilities) if (!(CAPABILITIES as readonly string[]).includes(c)) fail(`Unknown capability "${String(c)}".`, `Use any of: ${CAPABILITIES.join(', ')}.`);
  const needed = KIND_CAPABILITY[d.kind];
  if (!d.capabilities.includes(needed as C)) fail(`A ${d.kind} extension needs the "${needed}" capability.`, `Add '${needed}' to capabilities (and to extension.json).`);
  const needFn = (name: string) => {
    if (typeof (d as unknown as Record<string, unknown>)[name] !== 'function') fail(`A ${d.kind} extension must implement ${name}().`, `Add a ${name} method.`);
  };
  if (d.kind === 'renderer') {
    needFn('render');
    if (!Number.isInteger(d.contractVersion) || d.contractVersion < 1) fail('contractVersion must be a positive integer.', 'Set contractVersion: 1.');
  }
  if (d.kind === 'geometry') {
    needFn('generate');
    if (!d.shapes || Object.keys(d.shapes).length === 0) fail('A geometry extension must name at least one shape.', "Add shapes: { 'my-shape': 'What it is' }.");
  }
  if (d.kind === 'ui-widget') {
    needFn('view');
    if (d.onEvent !== undefined && typeof d.onEvent !== 'function') fail('onEvent must be a function.', 'Write onEvent(event, ctx) { ... } or leave it out.');
    if (!UI_SLOTS.includes(d.slot)) fail(`Unknown slot "${String(d.slot)}".`, `Use ${UI_SLOTS.join(', ')}.`);
  }
  if (d.kind === 'toolpack' && (!d.tools || Object.keys(d.tools).length === 0)) fail('A tool pack must define at least one tool.', 'Add tools: { my_tool: { description, inputSchema, handler } }.');
  if (d.tools) {
    if (!d.capabilities.includes('agent-tools' as C)) fail('Tools need the "agent-tools" capability.', "Add 'agent-tools' to capabilities.");
    for (const [name, tool] of Object.entries(d.tools)) {
      if (!TOOL_NAME.test(name)) fail(`Tool name "${name}" is invalid.`, 'Use lowercase snake_case, starting with a letter, at most 48 characters.');
      if (typeof tool.description !== 'string' || tool.description.length < 10) fail(`Tool "${name}" needs a description (10+ characters).`, 'Say what the tool does; agents choose tools by it.');
      if (!tool.inputSchema || tool.inputSchema.type !== 'object') fail(`Tool "${name}" needs an object inputSchema.`, "Use inputSchema: { type: 'object', properties: {...} }.");
      if (tool.outputSchema !== undefined && tool.outputSchema?.type !== 'object') fail(`Tool "${name}" has an outputSchema that is not an object schema.`, "Use outputSchema: { type: 'object', properties: {...} } (it describes structuredContent), or leave it out.");
      if (typeof tool.handler !== 'function') fail(`Tool "${name}" needs a handler function.`, 'Add handler(input, ctx).');
      const policy = toolPolicyProblem(name, tool, d.capabilities);
      if (policy) fail(policy.message, policy.suggestion);
    }
  }
  Object.defineProperty(definition, BRAND, { value: true });
  return Object.freeze(definition) as D;
}

/** Whether a value came from {@link defineExtension}. */
export function isExtensionDefinition(value: unknown): value is ExtensionDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * The tools of a definition as the host sees them: name, description, schemas, and the title,
 * annotations and policy when declared (`vib3 ext build` turns them into the toolpack.json).
 */
export function describeTools(definition: ExtensionDefinition): { tools: ToolDescription[] } {
  return { tools: describeToolsOf(definition.tools) };
}
