/**
 * `vib3-embed/extensions/runtime`: the extension host — installs signed extension packages and
 * runs each in its own sandbox (opaque-origin iframe + worker, CSP per grant) behind a guarded
 * comlink dispatcher, with consent, lifecycle, health checks and crash isolation.
 * @packageDocumentation
 */
export { ExtensionHost, type ExtensionHostOptions, type ExtensionInfo, type ExtensionState, type PackageOptions } from './host.js';
export { licenseForActivation, checkEntitlement, type HostLicensing, type LicenseState } from './licensing.js';
export { uiConsent, pageDialogConsent, type ConsentPolicy, type ConsentQuestion, type ConsentUi } from './consent.js';
export type { WidgetSlots } from './widgets.js';
export type { SupervisionOptions } from './supervisor.js';
export type { PageConnections } from './page-facade.js';
export { readWidgetTheme, WIDGET_TOKENS } from './widget-theme.js';
export { ExtensionError, toExtensionError, EXTENSION_ERROR_CODES, type ExtensionErrorCode } from './errors.js';
export { HOST_METHODS, FORBIDDEN_KEYS, DEFAULT_LIMITS, checkCall, estimateBytes, findForbiddenKey, type DispatchLimits, type HostMethod } from './dispatcher.js';
export { sandboxCsp, Sandbox, type SandboxOptions } from './sandbox.js';
export { localGrantStore, memoryGrantStore, type Grant, type GrantStore } from './grants.js';
export type { ExtensionRuntime, HostFacade, RuntimeInfo, ToolDescription, ExtensionFrameRequest } from './protocol.js';
export { ExtensionRendererView, extensionRendererFactory, type FrameSource } from './renderer-view.js';
