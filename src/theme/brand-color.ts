/**
 * Brand colour -> visual palette: a theme pack's `brandColor` (a CSS colour) becomes the visual's
 * `hue` (CSS hue degrees, the same wheel as the `hue` parameter) and `saturation` (CSS HSL
 * saturation, 0..1). Pure TypeScript, no DOM: the token build and the runtime registry share it.
 */

/** An sRGB colour with components in 0..1. */
export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** What a brand colour sets. `hue` is undefined for greys (black, white, #808080): they have none. */
export interface BrandVisual {
  /** CSS hue in whole degrees, 0..359. */
  hue: number | undefined;
  /** CSS HSL saturation, 0..1 (two decimals). */
  saturation: number;
}

/** Why a brand colour was refused: the kit's usual code / message / suggestion triple. */
export interface BrandColorProblem {
  code: 'INVALID_BRAND_COLOR';
  message: string;
  suggestion: string;
}

/** A brand colour's visual palette, or why it cannot have one. */
export type BrandColorResult = { ok: true; visual: BrandVisual } | { ok: false; problem: BrandColorProblem };

/** The forms a brand colour may take, for suggestions. */
export const BRAND_COLOR_FORMS = 'a hex colour ("#1e90ff"), rgb(30 144 255), hsl(210 100% 56%), or a reference to a colour token ("{color.brand.400}")';

const HEX = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const FUNC = /^(rgba?|hsla?)\(\s*([^()]*)\)$/i;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i;

/** Splits `a b c / d` or `a, b, c, d` into the colour arguments (alpha dropped). */
function splitArgs(body: string): string[] | undefined {
  const commas = body.includes(',');
  const slashed = commas ? [body] : body.split('/').map((s) => s.trim());
  if (slashed.length > 2 || slashed[1] === '') return undefined;
  const main = slashed[0];
  const parts = (main ?? '').split(commas ? ',' : /\s+/).map((s) => s.trim()).filter((s) => s !== '');
  // Legacy comma syntax may carry alpha as a fourth argument; both syntaxes need exactly three colour arguments.
  if (commas ? parts.length !== 3 && parts.length !== 4 : parts.length !== 3) return undefined;
  return parts.slice(0, 3);
}

/** A number with an optional unit; `none` is 0 (CSS Color 4). */
function parseNumber(text: string): { value: number; unit: string } | undefined {
  if (text.toLowerCase() === 'none') return { value: 0, unit: '' };
  const m = NUMBER.exec(text);
  if (!m) return undefined;
  const value = Number(m[0]);
  const unit = text.slice(m[0].length).toLowerCase();
  return Number.isFinite(value) ? { value, unit } : undefined;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** An rgb() channel: 0..255 or a percentage. */
function rgbChannel(text: string): number | undefined {
  const n = parseNumber(text);
  if (!n) return undefined;
  if (n.unit === '%') return clamp01(n.value / 100);
  return n.unit === '' ? clamp01(n.value / 255) : undefined;
}

/** An hsl() hue in degrees: deg (default), rad, grad or turn. */
function hueDegrees(text: string): number | undefined {
  const n = parseNumber(text);
  if (!n) return undefined;
  const perUnit: Record<string, number> = { '': 1, deg: 1, rad: 180 / Math.PI, grad: 0.9, turn: 360 };
  const k = perUnit[n.unit];
  return k === undefined ? undefined : n.value * k;
}

/** An hsl() saturation or lightness: a percentage (or a bare number of percent, CSS Color 4). */
function percent(text: string): number | undefined {
  const n = parseNumber(text);
  if (!n || (n.unit !== '%' && n.unit !== '')) return undefined;
  return clamp01(n.value / 100);
}

/** CSS Color 4 "hsl to rgb". */
function hslToRgb(h: number, s: number, l: number): Rgb {
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const a = s * Math.min(l, 1 - l);
    return l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return { r: f(0), g: f(8), b: f(4) };
}

/**
 * Parses the sRGB colours a brand colour may be written in: `#rgb`, `#rgba`, `#rrggbb`,
 * `#rrggbbaa`, `rgb()` / `rgba()` and `hsl()` / `hsla()` (comma or space syntax; alpha is ignored).
 * Returns undefined for anything else (named colours, `oklch()`, typos).
 */
export function parseCssColor(text: string): Rgb | undefined {
  const value = text.trim();
  const hex = HEX.exec(value);
  if (hex) {
    let digits = hex[1]!;
    if (digits.length <= 4) digits = [...digits].map((d) => d + d).join('');
    const byte = (i: number) => parseInt(digits.slice(i * 2, i * 2 + 2), 16) / 255;
    return { r: byte(0), g: byte(1), b: byte(2) };
  }
  const fn = FUNC.exec(value);
  if (!fn) return undefined;
  const args = splitArgs(fn[2]!);
  if (!args) return undefined;
  if (fn[1]!.toLowerCase().startsWith('rgb')) {
    const [r, g, b] = args.map(rgbChannel);
    return r === undefined || g === undefined || b === undefined ? undefined : { r, g, b };
  }
  const h = hueDegrees(args[0]!);
  const s = percent(args[1]!);
  const l = percent(args[2]!);
  if (h === undefined || s === undefined || l === undefined) return undefined;
  return hslToRgb(((h % 360) + 360) % 360, s, l);
}

/** CSS HSL hue (degrees, 0..360, undefined for greys) and saturation (0..1) of an sRGB colour. */
export function rgbToHueSaturation({ r, g, b }: Rgb): { hue: number | undefined; saturation: number } {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const d = max - min;
  const l = (max + min) / 2;
  const saturation = d === 0 || l <= 0 || l >= 1 ? 0 : d / (1 - Math.abs(2 * l - 1));
  if (d === 0) return { hue: undefined, saturation: 0 };
  let hue: number;
  if (max === r) hue = ((g - b) / d) % 6;
  else if (max === g) hue = (b - r) / d + 2;
  else hue = (r - g) / d + 4;
  hue *= 60;
  return { hue: hue < 0 ? hue + 360 : hue, saturation: clamp01(saturation) };
}

/**
 * The visual palette of a brand colour: its CSS hue in whole degrees (360 wraps to 0) and its CSS
 * HSL saturation rounded to two decimals. `#1e90ff` gives hue 210, saturation 1. Anything that is
 * not a colour {@link parseCssColor} reads is refused with an `INVALID_BRAND_COLOR` problem.
 */
export function brandColorToVisual(value: unknown): BrandColorResult {
  const rgb = typeof value === 'string' ? parseCssColor(value) : undefined;
  if (!rgb) {
    const unsupported = typeof value === 'string' && /^(oklch|oklab|lch|lab|color|hwb)\(/i.test(value.trim());
    return {
      ok: false,
      problem: {
        code: 'INVALID_BRAND_COLOR',
        message: unsupported
          ? `brandColor ${JSON.stringify(value)} is in a colour space the kit cannot turn into a hue.`
          : `brandColor ${JSON.stringify(value)} is not a colour.`,
        suggestion: `Write the brand colour as ${BRAND_COLOR_FORMS}.`,
      },
    };
  }
  const { hue, saturation } = rgbToHueSaturation(rgb);
  return { ok: true, visual: { hue: hue === undefined ? undefined : Math.round(hue) % 360, saturation: Math.round(saturation * 100) / 100 } };
}
