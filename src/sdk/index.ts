/**
 * The VIB3 extension SDK (`vib3-embed/sdk`): define an extension with typed contracts for the
 * four kinds, typed access to the capabilities it declared, and (from `vib3-embed/sdk/testing`)
 * a harness that runs it without the host.
 * @packageDocumentation
 */
export { defineExtension, isExtensionDefinition, describeTools, ExtensionDefinitionError, KIND_CAPABILITY } from './define.js';
export { validateUiTree, validateUiEvent, UI_TREE_LIMITS } from './ui-tree.js';
export type * from './types.js';
export type { Vib3Params } from '../core/params.js';
