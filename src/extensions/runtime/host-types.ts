/**
 * The extension host's types: the public ones ({@link ExtensionState}, {@link ExtensionInfo},
 * {@link ExtensionHostOptions}, re-exported by `host.ts` and the runtime's index), the host's
 * internal record of one installed extension ({@link Entry}) and how `list()` reports an entry
 * ({@link entryInfo}). Imports types only, and nothing imports `host.ts`: no cycle.
 */
import type { Vib3ExtensionManifest } from '../manifest/manifest.generated.js';
import type { SignedToolPolicy } from './package-intake.js';
import type { TrustedKeys } from '../signing/package.js';
import type { ExtensionError } from './errors.js';
import type { DispatchLimits } from './dispatcher.js';
import type { Grant, GrantStore } from './grants.js';
import type { ConsentPolicy, ConsentUi } from './consent.js';
import type { Supervised, SupervisionOptions } from './supervisor.js';
import type { WidgetSlots } from './widgets.js';
import type { PageConnections } from './page-facade.js';
import type { ToolGate } from './tool-gate.js';
import type { HostLicensing, LicenseState } from './licensing.js';
import type { AuditLog } from '../../marketplace/audit/log.js';

/** Lifecycle state of an installed extension. */
export type ExtensionState = 'inactive' | 'active' | 'restarting' | 'quarantined';

/** Options of `install` / `update` for one package. */
export interface PackageOptions {
  /**
   * Publisher keys, by keyId, the caller vouches for in addition to the host's `trustedKeys` —
   * the installer passes the key the registry's signed TUF metadata binds to this package.
   */
  keys?: TrustedKeys;
  /**
   * Consent the caller already obtained from the user (the installer asks before its license
   * step): when it covers what the package requests, the host records it instead of asking again.
   */
  consented?: Grant;
}

/** One installed extension as `list()` reports it. */
export interface ExtensionInfo {
  id: string;
  version: string;
  name: string;
  state: ExtensionState;
  granted: Grant;
  /** A newer version waiting for consent to new capabilities. */
  pendingUpdate?: string;
  health: { restarts: number; failures: number; lastError?: { code: string; message: string }; lastHeartbeatMs?: number };
  tools: string[];
}

/** Options of an `ExtensionHost`. */
export interface ExtensionHostOptions extends PageConnections, SupervisionOptions {
  /** Publisher keys to trust, by keyId. */
  trustedKeys: TrustedKeys;
  /**
   * Consent: a policy function, or a consent UI to ask (such as a `<vib3-consent-dialog>` element).
   * Default: the page's `<vib3-consent-dialog>` when there is one, else deny.
   */
  consent?: ConsentPolicy | ConsentUi;
  /** Where grants persist (default: localStorage of the page origin). */
  grants?: GrantStore;
  /**
   * Sandbox frame URL (default: dist/sandbox/frame.html next to the kit). A function gives each
   * extension its own URL: frames on different sites run in different browser processes, so an
   * extension that exhausts its memory takes down only its own process (see docs/EXTENSIONS.md).
   */
  frameUrl?: string | URL | ((extensionId: string) => string | URL);
  /** Where UI widgets render (without it, a widget runs without its UI and a NO_UI_SLOTS error is reported). */
  slots?: WidgetSlots;
  /** Per-extension message size and rate limits. */
  limits?: Partial<DispatchLimits>;
  /** License tokens for paid extensions (docs/LICENSING.md); without it, paid extensions without a free tier do not activate. */
  licensing?: HostLicensing;
  /** Where capability grants the user gives here and revocations are recorded (an AuditLog of `vib3-embed/marketplace`). */
  audit?: Pick<AuditLog, 'append'>;
}

/** The host's record of one installed extension (internal: not exported by the runtime's index). */
export interface Entry extends Supervised {
  manifest: Vib3ExtensionManifest;
  code: string;
  state: ExtensionState;
  lastError?: ExtensionError;
  /** Its tools (as it described them when it started) and their input/output checks. */
  tools: ToolGate;
  pendingUpdate?: { manifest: Vib3ExtensionManifest; code: string; signer: TrustedKeys; policies: Map<string, SignedToolPolicy> };
  /** Tool policies from the running package's signed tool pack, by bare tool name. */
  policies: Map<string, SignedToolPolicy>;
  /** The key that signed the running package. */
  signer: TrustedKeys;
  /** The license it runs under (set at activation). */
  license?: LicenseState;
}

/** What `list()` reports for one entry: its state, grant and health. */
export function entryInfo(id: string, e: Entry, granted: Grant): ExtensionInfo {
  return {
    id,
    version: e.manifest.version,
    name: e.manifest.name,
    state: e.state,
    granted,
    ...(e.pendingUpdate ? { pendingUpdate: e.pendingUpdate.manifest.version } : {}),
    health: { restarts: e.restarts, failures: e.failures, ...(e.lastError ? { lastError: { code: e.lastError.code, message: e.lastError.message } } : {}), ...(e.lastBeat !== undefined ? { lastHeartbeatMs: e.lastBeat } : {}) },
    tools: e.tools.tools.map((t) => `${id}/${t.name}`),
  };
}
