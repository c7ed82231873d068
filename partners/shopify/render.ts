/**
 * Renders the built app block outside Shopify with liquidjs, the way a storefront does: the
 * `{% schema %}` tag outputs nothing, `asset_url` points at the extension's assets, `t` reads the
 * extension's locales/en.default.json, `escape` is Shopify's (Ruby's CGI.escapeHTML), and
 * `block.settings` holds the merchant's values on top of the schema's defaults. For previews and
 * the tests; Shopify itself never runs this.
 */
import { Liquid, Tag, type Emitter, type Liquid as LiquidEngine, type TagToken, type TopLevelToken } from 'liquidjs';
import type { BlockSchema } from './schema.js';

/** The `{% schema %}` JSON of a block's Liquid. */
export function readBlockSchema(liquid: string): BlockSchema {
  const m = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/.exec(liquid);
  if (!m) throw new Error('The block has no {% schema %} tag.');
  return JSON.parse(m[1]!) as BlockSchema;
}

/** The values a new block starts with: each setting's default (`null`, Shopify's nil, where it has none). */
export function defaultSettings(schema: BlockSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of schema.settings) {
    if (s.type === 'header') continue;
    out[s.id] = s.default ?? null;
  }
  return out;
}

const CGI_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `{% schema %}…{% endschema %}`: parsed for the editor, renders nothing. */
class SchemaTag extends Tag {
  constructor(token: TagToken, remain: TopLevelToken[], liquid: LiquidEngine) {
    super(token, remain, liquid);
    while (remain.length) {
      const next = remain.shift()!;
      if ('name' in next && (next as TagToken).name === 'endschema') return;
    }
    throw new Error('{% schema %} is not closed.');
  }
  *render(_ctx: unknown, _emitter: Emitter): Generator<unknown, void, unknown> {
    // Nothing: Shopify reads the schema; the storefront never sees it.
  }
}

/** How the storefront around the block is imitated. */
export interface RenderOptions {
  /** The merchant's values (missing ones take the schema's defaults). */
  settings?: Record<string, unknown>;
  /** URL of an extension asset (Shopify: `//cdn.shopify.com/extensions/<id>/<version>/assets/<name>`). */
  assetUrl: (name: string) => string;
  /** `block.id` (Shopify: a unique id per block instance). */
  blockId?: string;
  /** `block.shopify_attributes` (Shopify: data attributes for the theme editor; blank on the storefront). */
  shopifyAttributes?: string;
  /** The extension's default locale (locales/en.default.json), for the `t` filter. */
  locale?: Record<string, unknown>;
}

/** Shopify's `t`: the string at a dotted key of the locale, or its "translation missing" text. */
function translate(locale: Record<string, unknown>, key: string): string {
  let node: unknown = locale;
  for (const part of key.split('.')) node = node && typeof node === 'object' && Object.hasOwn(node, part) ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === 'string' ? node : `translation missing: en.${key}`;
}

/** A liquidjs engine with the Shopify tags and filters the block uses. */
export function shopifyLiquid(assetUrl: (name: string) => string, locale: Record<string, unknown> = {}): Liquid {
  const engine = new Liquid({ strictFilters: true, ownPropertyOnly: true });
  engine.registerTag('schema', SchemaTag);
  engine.registerFilter('asset_url', (name: unknown) => assetUrl(String(name)));
  engine.registerFilter('t', (key: unknown) => translate(locale, String(key)));
  engine.registerFilter('escape', (value: unknown) => (value === null || value === undefined ? value : String(value).replace(/[&<>"']/g, (c) => CGI_ESCAPES[c]!)));
  return engine;
}

/** Renders a block's Liquid with its schema's defaults overlaid by `options.settings`. */
export async function renderBlock(liquid: string, options: RenderOptions): Promise<string> {
  const settings = { ...defaultSettings(readBlockSchema(liquid)), ...options.settings };
  const block = { id: options.blockId ?? 'AbCdEf123', settings, shopify_attributes: options.shopifyAttributes ?? '' };
  return shopifyLiquid(options.assetUrl, options.locale).parseAndRender(liquid, { block }) as Promise<string>;
}
