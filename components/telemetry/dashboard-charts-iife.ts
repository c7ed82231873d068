/**
 * The dashboard's charts in the classic-script build (`vib3.iife.js`): that file inlines dynamic
 * imports, so uPlot (~23 KB gzip) would ride along for every script-tag page. Instead the IIFE
 * build aliases `./dashboard-charts.js` to this stand-in (vite.config.ts): the tables show every
 * number, and each chart's place says where the charts are (the ES build, `vib3-embed/components`,
 * which the registry's /dashboard page uses).
 */
import type { BarData, ChartPalette } from './dashboard-charts.js';

export type { BarData, ChartPalette };

/** A chart that draws nothing but a note. */
export class BarChart {
  constructor(readonly container: HTMLElement, _data: BarData, _palette: ChartPalette) {
    const note = document.createElement('p');
    note.textContent = 'Charts need the ES module build (vib3-embed/components); the table shows the same numbers.';
    container.replaceChildren(note);
  }
  update(_data: BarData, _palette: ChartPalette): void {}
  resize(): void {}
  destroy(): void {
    this.container.replaceChildren();
  }
}
