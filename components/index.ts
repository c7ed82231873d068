/**
 * The kit's UI components (lit), all styled only from design tokens. Importing defines them.
 * @packageDocumentation
 */
import { Vib3ControlPanel } from './control-panel.js';
import { Vib3Toolbar } from './toolbar.js';
import { Vib3ThemeSwitcher } from './theme-switcher.js';
import { Vib3ConsentDialog } from './consent-dialog.js';
import { Vib3InstallProgress } from './install-progress.js';
import { Vib3Stage } from './registry.js';
import { Vib3Marketplace } from './marketplace/marketplace.js';
import { Vib3MarketSearch } from './marketplace/search.js';
import { Vib3MarketCard } from './marketplace/card.js';
import { Vib3MarketDetail } from './marketplace/detail.js';
import { Vib3MarketInstalled } from './marketplace/installed-list.js';
import { Vib3SyncStatus } from './marketplace/sync-status.js';
import { Vib3ToolApproval } from './agent/tool-approval.js';
import { Vib3TelemetryDashboard } from './telemetry/dashboard.js';

export { Vib3ControlPanel, Vib3Toolbar, Vib3ThemeSwitcher, Vib3ConsentDialog, Vib3InstallProgress, Vib3Stage };
export type { ConsentCapability, ConsentRequest, ConsentResult } from './consent-dialog.js';
export type { ProgressState } from './install-progress.js';
export { ComponentRegistry, componentRegistry, RegistryError, SLOT_CONSTRAINTS, UI_SLOTS, type ComponentEntry, type ComponentSource, type UiSlot } from './registry.js';
export { canvasContext, CanvasController, type CanvasControllerHost, type CanvasControllerOptions } from './canvas-context.js';
export { msg, setLocale, getLocale, registerCatalogue, availableLocales, type Catalogue } from './i18n.js';
export { Vib3Marketplace, Vib3MarketSearch, Vib3MarketCard, Vib3MarketDetail, Vib3MarketInstalled };
export type { MarketQuery, MarketErrorDetail, MarketErrorInfo, MarketDoneDetail, MarketOperation, OperationState } from './marketplace/format.js';
export type { MarketInstallRequest } from './marketplace/detail.js';
export type { MarketAction } from './marketplace/installed-list.js';
export { Vib3ToolApproval, type ToolApprovalDetail, type ApprovalRequest } from './agent/tool-approval.js';
export {
  Vib3TelemetryDashboard,
  TELEMETRY_DASHBOARD_PARTS,
  TELEMETRY_WINDOWS,
  type TelemetrySummary,
  type TelemetryLatency,
  type TelemetryWindow,
  type TelemetryErrorInfo,
  type TelemetryErrorDetail,
  type TelemetryUpdateDetail,
} from './telemetry/dashboard.js';
export { Vib3SyncStatus, SYNC_STATUS_PARTS, type SyncOverview, type SyncLane, type SyncDeadLetter, type SyncErrorInfo, type SyncRetryDetail, type SyncErrorDetail } from './marketplace/sync-status.js';

const TAGS: [string, CustomElementConstructor][] = [
  ['vib3-control-panel', Vib3ControlPanel],
  ['vib3-toolbar', Vib3Toolbar],
  ['vib3-theme-switcher', Vib3ThemeSwitcher],
  ['vib3-consent-dialog', Vib3ConsentDialog],
  ['vib3-install-progress', Vib3InstallProgress],
  ['vib3-stage', Vib3Stage],
  ['vib3-marketplace', Vib3Marketplace],
  ['vib3-market-search', Vib3MarketSearch],
  ['vib3-market-card', Vib3MarketCard],
  ['vib3-market-detail', Vib3MarketDetail],
  ['vib3-market-installed', Vib3MarketInstalled],
  ['vib3-sync-status', Vib3SyncStatus],
  ['vib3-tool-approval', Vib3ToolApproval],
  ['vib3-telemetry-dashboard', Vib3TelemetryDashboard],
];

/** Defines every component once (safe with two copies of the kit on a page). */
export function defineComponents(registry: CustomElementRegistry = customElements): void {
  for (const [tag, ctor] of TAGS) if (!registry.get(tag)) registry.define(tag, ctor);
}

defineComponents();

declare global {
  interface HTMLElementTagNameMap {
    'vib3-control-panel': Vib3ControlPanel;
    'vib3-toolbar': Vib3Toolbar;
    'vib3-theme-switcher': Vib3ThemeSwitcher;
    'vib3-consent-dialog': Vib3ConsentDialog;
    'vib3-install-progress': Vib3InstallProgress;
    'vib3-stage': Vib3Stage;
    'vib3-marketplace': Vib3Marketplace;
    'vib3-market-search': Vib3MarketSearch;
    'vib3-market-card': Vib3MarketCard;
    'vib3-market-detail': Vib3MarketDetail;
    'vib3-market-installed': Vib3MarketInstalled;
    'vib3-tool-approval': Vib3ToolApproval;
    'vib3-telemetry-dashboard': Vib3TelemetryDashboard;
  }
}
