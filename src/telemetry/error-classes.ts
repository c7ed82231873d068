/**
 * Error classes: the closed, low-cardinality list that OpenTelemetry's `error.type` carries.
 *
 * Every coded error in the kit — element (`Vib3Error`), extensions (`ExtensionError`), registry
 * (`RegistryError`), installer (`InstallerError`), licensing (`LicenseError`), agent
 * (`AgentToolError`, `LlmError`), CLI, bridge, headless, supply chain, listings — has a stable
 * SCREAMING_SNAKE code; {@link errorClassOf} maps each one to a class, and each class carries a
 * suggested action, so a dashboard can chart "error rate by class" and say what to do about it.
 * The raw code stays available as `vib3.error.code`.
 *
 * Mapping: an explicit table for the codes whose name misleads, then ordered pattern rules that
 * also classify codes added later; a code neither knows is `internal`. The completeness test
 * (`test/unit/telemetry-error-classes.test.ts`) scans `src/` and `components/` for every code the
 * kit raises and fails when one would fall through to `internal`.
 *
 * Browser-safe and small: it imports nothing and builds its lookup table on first use.
 */

/** The closed list of error classes (OpenTelemetry `error.type` values), low cardinality. */
export const ERROR_CLASSES = {
  invalid_input: {
    description: 'A request, argument, option, file or document the caller supplied is malformed, incomplete or breaks a rule.',
    action: 'Correct the input the error message points to (its suggestion says how) and send it again.',
    retryable: false,
  },
  invalid_config: {
    description: 'The kit, a server or the CLI is set up wrongly or incompletely: a configuration value, environment variable, key, or a required tool, driver or built file is missing or invalid.',
    action: 'Fix the configuration or installation the message names (flag, environment variable, config file, key or missing tool), then start again.',
    retryable: false,
  },
  not_found: {
    description: 'The named extension, version, file, tool, parameter, publisher or route does not exist here.',
    action: 'Check the id, name or version against what exists (list or search first), or publish, install or register it before using it.',
    retryable: false,
  },
  conflict: {
    description: 'The operation clashes with the current state: it already exists, is in use, is not newer, or the state is not the one the operation needs.',
    action: 'Read the current state, then retry with another name or version, or finish or remove what is in the way first.',
    retryable: false,
  },
  unauthenticated: {
    description: 'No valid credentials: a token, API key, login or pairing code is missing, malformed, expired, revoked or wrong.',
    action: 'Provide valid credentials: log in again, set a fresh token or API key, or ask for a new pairing code.',
    retryable: false,
  },
  forbidden: {
    description: 'The caller is known but not allowed to do this: a role, capability, origin, namespace, tool allow-list or policy (such as moderation) refuses it.',
    action: 'Use an identity, capability or origin that is allowed to do this, or ask its owner to grant it; do not retry unchanged.',
    retryable: false,
  },
  unlicensed: {
    description: 'A paid extension or feature has no valid license here: missing, malformed, expired, revoked, for another origin or extension, or without the entitlement.',
    action: 'Get or renew a license for this extension, origin and tier from its publisher, or use a free extension instead.',
    retryable: false,
  },
  approval_denied: {
    description: 'A person declined (or was not there to give) the approval or consent the action needs.',
    action: 'Respect the decision and do not retry automatically; explain what the action would do and ask again only if the user wants it.',
    retryable: false,
  },
  rate_limited: {
    description: 'Too many calls or attempts in a short time; the other side throttles them.',
    action: 'Wait (honour Retry-After when given), retry with backoff, and make fewer or batched calls.',
    retryable: true,
  },
  quota_exceeded: {
    description: 'A budget or size limit was reached: spend cap, token or step budget, tool-call limit, context length, message or payload size.',
    action: 'Make the request smaller (fewer steps, tokens or bytes), or raise the budget or limit in the policy.',
    retryable: false,
  },
  timeout: {
    description: 'An operation did not finish before its deadline (download, call, push, pairing).',
    action: 'Retry with backoff; if it keeps timing out, check the network and the other side, or raise the timeout.',
    retryable: true,
  },
  unavailable: {
    description: 'A service, connection or store is unreachable, overloaded, busy, locked, closed or answered with a server error.',
    action: 'Retry later with backoff; if it persists, check that the service, network or storage is running and reachable.',
    retryable: true,
  },
  integrity: {
    description: 'Signed or hashed data does not verify: a bad or missing signature, digest mismatch, tampering, rollback or freeze attack, or a broken audit chain.',
    action: 'Do not use the data; obtain it again from a trusted source and report a repeated failure to the publisher or registry operators.',
    retryable: false,
  },
  unsupported: {
    description: 'The environment or version cannot do this: no WebGPU, WebGL2, WebAssembly, WebSocket or WebMCP, an incompatible kit or renderer contract, or a format the target does not take.',
    action: 'Use a supported environment, version or option (another browser, renderer or kit version), or let the fallback handle it.',
    retryable: false,
  },
  rendering: {
    description: 'The renderer failed while running: context lost, a backend or its chunk failed to start, a snapshot, geometry worker or preview render failed.',
    action: 'Reload the element or page; if it repeats, try renderer="webgl2" or update the browser and graphics driver.',
    retryable: false,
  },
  extension_fault: {
    description: 'An extension crashed, hung, failed to activate, returned invalid output or UI, or was quarantined after repeated failures.',
    action: 'Disable or update the extension and report the failure to its publisher; the host keeps running without it.',
    retryable: false,
  },
  cancelled: {
    description: 'The operation or session was cancelled or ended on purpose: an abort signal, the user, the page closing or a newer request replacing it.',
    action: 'Nothing to fix; start the operation again if it is still wanted.',
    retryable: false,
  },
  internal: {
    description: 'A bug in the kit or an error without a known code.',
    action: 'Report it to the kit maintainers with the message and the steps that led to it; retrying is unlikely to help.',
    retryable: false,
  },
} as const satisfies Record<string, { description: string; action: string; retryable: boolean }>;

/** One error class (an `error.type` value). */
export type ErrorClass = keyof typeof ERROR_CLASSES;

/**
 * Codes whose name would lead the rules below astray (or that no rule covers), by class. Explicit
 * entries win over the rules.
 */
const EXPLICIT: Partial<Record<ErrorClass, string>> = {
  invalid_input:
    'APPROVAL_TOO_WEAK BROAD_NETWORK_SCOPE CAPABILITY_NOT_DECLARED CIRCULAR_REFERENCE COMPLIANCE_FAILED ' +
    'FEATURE_CONFLICT ID_MISMATCH INSECURE_ORIGIN INVALID_INTEGRITY IS_A_DIRECTORY LICENSE_MISSING LOCALHOST_ORIGIN ' +
    'MIGRATED NO_STABLE_CHANNEL NO_TESTS NO_TOOLS OPEN_ENDED_RANGE PRIVATE_KEY_GIVEN PRIVATE_KEY_SENT RENAMED_TOKEN ' +
    'SCHEMA SIGN_FAILED TOOLPACK_OUTDATED TOOLPACK_STALE TOOLSET_UNKNOWN_TOOL TOOL_NAME_DUPLICATE TOOL_NAME_LEGACY ' +
    'TOOL_NAME_NOT_NAMESPACED TUF_INVALID_ROOT TUF_INVALID_TARGET UNKNOWN_COMMAND UNKNOWN_FIELD UNKNOWN_OPTION ' +
    'UNKNOWN_TOKEN UNUSED_ENTRYPOINT UPDATE_NEEDS_FOLDER UPLOAD_INCOMPLETE VERSION_MISMATCH VERSION_NOT_CANONICAL',
  invalid_config:
    'ADAPTER_MODULE_INVALID BRIDGE_NOT_LOOPBACK CHROMIUM_NOT_FOUND ESBUILD_MISSING EXTENSIONS_DIR_INVALID ' +
    'EXTENSIONS_FAILED INTEGRITY_MISSING KIT_FILES_NOT_FOUND LLM_INVALID_POLICY MISSING_PROVIDER NO_SYNC_PARTNERS ' +
    'NO_UI_SLOTS ORIGIN_INVALID ORIGIN_REQUIRED PLAYWRIGHT_MISSING RELEASE_FAILED RELEASE_INCOMPLETE ' +
    'STORE_REGISTRY_MISMATCH TEMPLATES_NOT_FOUND TOKEN_TOO_SHORT TTL_INVALID TUF_KEYS_MISSING TUF_NOT_INITIALIZED',
  not_found: 'LICENSE_NOT_FOUND NOT_CACHED NO_CHALLENGE VERSION_YANKED',
  conflict: 'AUDIT_CONFLICT NAME_TOO_SIMILAR NOT_ACTIVE NOT_OVERRIDABLE NOT_STARTED SYNC_ROW_NOT_DEAD',
  forbidden:
    'ADMIN_REQUIRED AGENT_TOKEN_REQUIRED LLM_MODERATION_BLOCKED NAMESPACE_OWNED ORIGIN_MISMATCH PUBLISHER_REQUIRED',
  unauthenticated: 'SESSION_REVOKED',
  approval_denied: 'APPROVAL_DENIED APPROVAL_REQUIRED CONSENT_DENIED',
  unavailable:
    'ATTEMPTS_EXHAUSTED AUDIT_STORE_FAILED BLOB_MISSING BRIDGE_LISTEN_FAILED LISTEN_FAILED LLM_NO_DEPLOYMENT ' +
    'PREPARE_FAILED',
  integrity:
    'ARCHIVE_INVALID FILE_MISSING FILE_UNLISTED MANIFEST_UNREADABLE PROOF_INVALID TARBALL_INVALID UNKNOWN_KEY',
  unsupported:
    'BRIDGE_PROTOCOL_ERROR CORE_VERSION_MISMATCH MISSING_FEATURE RENDERER_CONTRACT_MISMATCH SCHEMA_TOO_NEW ' +
    'TARGET_NOT_EXPORTABLE WEBMCP_REGISTER_FAILED',
  extension_fault: 'INVALID_TOOL_OUTPUT UI_INVALID',
  cancelled: 'CLOSED_BY_PAGE PAGE_CLOSED SESSION_ENDED SESSION_REPLACED',
  internal:
    'AGENT_FAILED ERROR INTERNAL INTERNAL_ERROR INVALID_MIGRATIONS NESTED_DATABASE_CALL TOOL_FAILED TRANSACTION_ABORTED ' +
    'TRANSACTION_ENDED UNEXPECTED',
};

/** Ordered pattern rules (first match wins) for the codes the table does not list. */
const RULES: ReadonlyArray<readonly [RegExp, ErrorClass]> = [
  [/^LICENSE_|^ENTITLEMENT_|^UNLICENSED$/, 'unlicensed'],
  [/(?:^|_)(?:ABORTED|CANCELLED|CANCELED)$/, 'cancelled'],
  [/TIMEOUT$|TIMED_?OUT$/, 'timeout'],
  [/RATE_LIMITED$|^TOO_MANY_(?:ATTEMPTS|REQUESTS)$/, 'rate_limited'],
  [/TOO_LARGE$|CALL_LIMIT$|_EXHAUSTED$|_SPEND_CAP$|_MAX_STEPS$|CONTEXT_TOO_LONG$/, 'quota_exceeded'],
  [/^(?:WEBGPU|WEBGL2?|WASM|WEBMCP|WEBSOCKET)_UNAVAILABLE$|UNSUPPORTED|^NOT_SUPPORTED$|^INCOMPATIBLE|^NO_BACKEND$/, 'unsupported'],
  [/^TOKEN_|_AUTH_FAILED$|^UNAUTHORI[SZ]ED$|^UNAUTHENTICATED$|^CREDENTIALS_|^NOT_LOGGED_IN$|_MISSING_KEY$|^PAIRING_/, 'unauthenticated'],
  [/_NOT_FOUND$|^NOT_FOUND$|^NOT_INSTALLED$|^NO_(?:MATCHING|PREVIOUS)_/, 'not_found'],
  [/^(?:TUF|DSSE|SBOM|PROVENANCE|AUDIT)_|SIGNATURE|INTEGRITY|DIGEST|TAMPER|CORRUPT|_MISMATCH$|^UNSIGNED$|^VERIFY_FAILED$|^BUILDER_NOT_ALLOWED$/, 'integrity'],
  [/^FORBIDDEN|_NOT_ALLOWED$|_NOT_GRANTED$|^NOT_YOUR_|_DENIED$/, 'forbidden'],
  [/_EXISTS$|^ALREADY_|_CONFLICT$|_IN_USE$|^DUPLICATE_|_NOT_EMPTY$|^NOT_NEWER$|^OUT_OF_DATE$/, 'conflict'],
  [/^RENDERER_|^CONTEXT_LOST$|^SNAPSHOT_|^GEOMETRY_|RENDER_FAILED$|^CANVAS_START_FAILED$/, 'rendering'],
  [/^SANDBOX_|^EXTENSION_ERROR$|^QUARANTINED$|^HUNG$|^ACTIVATE_FAILED$/, 'extension_fault'],
  [/_UNREACHABLE$|_UNAVAILABLE$|(?:^|_)NETWORK$|_OVERLOADED$|_SERVER_ERROR$|_HTTP_ERROR$|_BAD_RESPONSE$|_STREAM_ERROR$|_LOCKED$|_CLOSED$|^BUSY$|(?:^|_)NOT_READY$|^RESTARTING$|STORE_(?:FAILED|ERROR)$|^CONNECTION_LOST$|_NOT_CONNECTED$|^PUSH_FAILED$/, 'unavailable'],
  [/CONFIG|^INVALID_(?:DATABASE_URL|BLOBS_SPEC|SYNC_SPEC)$|_NOT_CONFIGURED$|_DRIVER_MISSING$|_KEYS?_MISSING$|_START_FAILED$|^KEYS_FAILED$|_NOT_INITIALIZED$/, 'invalid_config'],
  [/^UNKNOWN_/, 'not_found'],
  [/^INVALID_|_INVALID$|_MALFORMED$|^MISSING_|_MISSING$|(?:^|_)BAD_(?:REQUEST|MESSAGE|REFERENCE)$|^WRONG_|_WRONG_|(?:^|_)TOO_(?:SHORT|LONG|FEW|MANY)$|_UNREADABLE$|^NOT_AN?_|_REQUIRED$|^UNEXPECTED_|^CONFLICTING_|_WITHOUT_|^USAGE_ERROR$|_REFUSED$|^REJECTED$|_TRIMMED$|^OUT_OF_RANGE$|^DUPLICATE$|_NOT_BUILT$|_NOT_OBJECT$/, 'invalid_input'],
];

let table: Map<string, ErrorClass> | undefined;

function explicit(): Map<string, ErrorClass> {
  if (!table) {
    table = new Map();
    for (const [cls, codes] of Object.entries(EXPLICIT) as [ErrorClass, string][]) for (const code of codes.split(' ')) table.set(code, cls);
  }
  return table;
}

function lookup(code: unknown): ErrorClass | undefined {
  if (typeof code !== 'string') return undefined;
  const listed = explicit().get(code);
  if (listed) return listed;
  for (const [pattern, cls] of RULES) if (pattern.test(code)) return cls;
  return undefined;
}

/** The class of a stable error code; `internal` for a code the kit does not know (never throws). */
export function errorClassOf(code: string): ErrorClass {
  return lookup(code) ?? 'internal';
}

/** Whether the table or a rule classifies `code` (false: {@link errorClassOf} falls back to `internal`). */
export function isKnownErrorCode(code: string): boolean {
  return lookup(code) !== undefined;
}

/** `{ errorClass, action, retryable }` of a code: its class, the class's suggested action and whether retrying may help. */
export function errorInfo(code: string): { errorClass: ErrorClass; action: string; retryable: boolean } {
  const errorClass = errorClassOf(code);
  const { action, retryable } = ERROR_CLASSES[errorClass];
  return { errorClass, action, retryable };
}
