/**
 * The dashboard's bar charts, drawn with uPlot (a canvas chart library that writes its layout
 * through CSSOM `.style` properties only, so it runs under a `style-src 'self'` policy). Loaded
 * lazily by `<vib3-telemetry-dashboard>` (this module and uPlot are their own chunk): pages that
 * never show the dashboard do not pay for them.
 *
 * One {@link BarChart} per chart: categories along x (indices, labelled), values along y from 0.
 * Live updates go through `setData` on the same plot (no flicker); a palette change (another theme)
 * rebuilds it.
 */
import uPlot from 'uplot';

/** Colours and font of a chart, read from the host's design tokens (see the element). */
export interface ChartPalette {
  bar: string;
  barStroke: string;
  axis: string;
  grid: string;
  font: string;
}

/** What one chart shows. */
export interface BarData {
  labels: string[];
  values: number[];
}

const HEIGHT = 180;
/** Longest x label drawn (longer ones are cut with an ellipsis; the tables carry the full names). */
const MAX_LABEL = 14;
const cut = (s: string) => (s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s);
const sameData = (d: BarData, labels: string[], values: number[] | undefined) =>
  d.labels.length === labels.length && d.labels.every((l, i) => l === labels[i]) && values !== undefined && d.values.length === values.length && d.values.every((v, i) => v === values[i]);
const keyOf = (p: ChartPalette) => `${p.bar}|${p.barStroke}|${p.axis}|${p.grid}|${p.font}`;

/** A bar chart in `container` (which it fills in width). */
export class BarChart {
  #plot: uPlot;
  #labels: string[];
  #palette: string;
  readonly #container: HTMLElement;

  constructor(container: HTMLElement, data: BarData, palette: ChartPalette) {
    this.#container = container;
    this.#labels = data.labels;
    this.#palette = keyOf(palette);
    this.#plot = this.#create(data, palette);
  }

  /** The element uPlot drew into (its `.uplot` root). */
  get root(): HTMLElement {
    return this.#plot.root;
  }

  /** The container the chart lives in. */
  get container(): HTMLElement {
    return this.#container;
  }

  /** Shows new data (in place), or rebuilds the plot when the palette changed. */
  update(data: BarData, palette: ChartPalette): void {
    const key = keyOf(palette);
    if (key === this.#palette && sameData(data, this.#labels, this.#plot.data[1] as number[])) return;
    this.#labels = data.labels;
    if (key !== this.#palette) {
      this.#palette = key;
      this.#plot.destroy();
      this.#plot = this.#create(data, palette);
      return;
    }
    this.#plot.setData([data.labels.map((_, i) => i), data.values]);
  }

  /** Fits the plot to the container's width. */
  resize(): void {
    const width = this.#width();
    if (Math.abs(width - this.#plot.width) >= 1) this.#plot.setSize({ width, height: HEIGHT });
  }

  destroy(): void {
    this.#plot.destroy();
  }

  #width(): number {
    return Math.max(160, Math.floor(this.#container.clientWidth || 480));
  }

  #create(data: BarData, p: ChartPalette): uPlot {
    const axis = { stroke: p.axis, font: p.font, ticks: { stroke: p.grid, width: 1 }, grid: { stroke: p.grid, width: 1 } };
    const options: uPlot.Options = {
      width: this.#width(),
      height: HEIGHT,
      legend: { show: false },
      cursor: { show: false, drag: { x: false, y: false } },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: false, range: () => [-0.5, Math.max(0, this.#labels.length - 1) + 0.5] },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        {
          ...axis,
          grid: { show: false },
          splits: () => this.#labels.map((_, i) => i),
          values: (_u, splits) => splits.map((i) => cut(this.#labels[i] ?? '')),
        },
        { ...axis, size: 56 },
      ],
      series: [
        {},
        {
          label: 'value',
          fill: p.bar,
          stroke: p.barStroke,
          width: 1,
          points: { show: false },
          paths: uPlot.paths.bars!({ size: [0.6, 64], align: 0 }),
        },
      ],
    };
    return new uPlot(options, [data.labels.map((_, i) => i), data.values], this.#container);
  }
}
