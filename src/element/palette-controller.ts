import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Vib3Error } from '../core/errors.js';
import { normalizeParam, type Vib3ParamName, type Vib3Params } from '../core/params.js';
import { getThemePack, listThemePacks } from '../theme/theme-registry.js';
import { frameScheduler } from './frame-scheduler.js';
import type { ParamState } from './param-state.js';

/** How often the palette tokens are re-read while rendering (a fallback: theme changes announced by `vib3-theme-change` apply at once). */
export const PALETTE_POLL_MS = 500;

/**
 * Palette and theme of one element: reads the visual palette tokens (`--vib3-visual-hue`,
 * `--vib3-visual-<system>-saturation` and `-intensity`) and applies them to parameters the
 * page has not set. A `vib3-theme-change` anywhere on the page (`<vib3-theme>`, the theme
 * switcher) has the next frame re-read them; polling while rendering catches host overrides of the custom
 * properties that announce nothing.
 */
export class PaletteController implements ReactiveController {
  private checkedAt = -Infinity;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly state: ParamState,
    private readonly report: (error: Vib3Error) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('vib3-theme-change', this.onThemeChange);
  }

  hostDisconnected(): void {
    document.removeEventListener('vib3-theme-change', this.onThemeChange);
  }

  /** Re-read the tokens on the next frame (the system or the theme changed). */
  invalidate(): void {
    this.checkedAt = -Infinity;
  }

  /** Called every rendered frame: re-reads the tokens when they are due. */
  poll(now: number): void {
    if (now - this.checkedAt <= PALETTE_POLL_MS) return;
    this.checkedAt = now;
    this.sync();
  }

  /** The element's `theme` changed: re-read the tokens, report a pack that is not registered. */
  themeChanged(theme: string): void {
    this.invalidate();
    if (theme && !getThemePack(theme)) {
      this.report(new Vib3Error('UNKNOWN_THEME', `No theme pack named "${theme}" is registered.`, `Use one of: ${listThemePacks().map((p) => p.pack.name).join(', ')}, or registerThemePack() your own first.`));
    }
  }

  /** Reads the palette tokens now and applies them to the parameters the page never set. */
  sync(): void {
    if (!this.host.isConnected) return;
    const style = getComputedStyle(this.host);
    const read = (name: string) => {
      const raw = style.getPropertyValue(name).trim();
      return raw === '' ? undefined : Number(raw);
    };
    const system = this.state.params.system;
    const palette: Record<string, number | undefined> = {
      hue: read('--vib3-visual-hue'),
      saturation: read(`--vib3-visual-${system}-saturation`),
      intensity: read(`--vib3-visual-${system}-intensity`),
    };
    const partial: Partial<Vib3Params> = {};
    for (const [name, value] of Object.entries(palette)) {
      if (value === undefined || !Number.isFinite(value) || this.state.isExplicit(name as Vib3ParamName)) continue;
      (partial as Record<string, number>)[name] = normalizeParam(name as Vib3ParamName, value) as number;
    }
    this.state.apply(partial, undefined, 'palette');
  }

  // The next rendered frame reads the tokens (a frame away, not a poll interval).
  private onThemeChange = (): void => {
    this.invalidate();
    frameScheduler.wake();
  };
}
