/**
 * The documented rules of every partner target, as data: text limits (and whether the partner
 * trims or refuses beyond them), tag and category rules, and the exact image sizes each one
 * wants. Adapters apply them (`./rules.ts`); `vib3 ext previews` renders the image sizes listed
 * here. Each entry cites the partner's documentation it follows; where a partner does not
 * document a number, the entry says so and uses a conservative value. Browser-safe.
 */

/** Every partner target the kit can sync to or export for. */
export const TARGET_IDS = ['registry', 'npm', 'wordpress', 'mcp-registry', 'figma', 'framer', 'webflow', 'canva', 'shopify', 'chrome'] as const;
/** One of {@link TARGET_IDS}. */
export type TargetId = (typeof TARGET_IDS)[number];

/** How a target receives a listing. */
export type TargetKind = 'registry' | 'api' | 'svn' | 'export';

/**
 * A text limit: characters (Unicode code points) and what the partner does beyond it.
 * For `export` targets the copy is pasted into the portal's form, whose field holds no more than
 * the limit: those limits are `trim` (the bundle carries copy that fits), except titles, which
 * are names and are never cut.
 */
export interface TextLimit {
  max: number;
  /** `trim`: the partner cuts it (we cut it first and warn); `refuse`: the partner rejects it (error). */
  over: 'trim' | 'refuse';
  /** The partner's name for the field. */
  field: string;
}

/** One image (or video) slot a target wants, at an exact size. */
export interface ImageSpec {
  /** Slot name, also the file stem in exports: `banner`, `icon`, `screenshot`, `cover`, … */
  slot: string;
  width: number;
  height: number;
  format: 'png' | 'jpeg' | 'webp' | 'webm';
  /** How many: screenshots may take several (one per preset), keyed `<slot>-<n>`. Default 1, keyed `<slot>`. */
  count?: { min: number; max: number };
  /** The target refuses a listing without it. */
  required: boolean;
  /** The partner's file name pattern, `{n}` = 1-based index (e.g. WordPress `screenshot-{n}.png`). */
  fileName?: string;
}

/** The rules of one target. */
export interface TargetRules {
  id: TargetId;
  /** Display name. */
  name: string;
  kind: TargetKind;
  /** Where the rules come from. */
  docs: string;
  title: TextLimit;
  summary: TextLimit;
  description?: TextLimit;
  /** Tags / keywords: how many the partner uses, how long each may be, and the ones it ignores. */
  tags?: { max: number; over: 'trim' | 'refuse'; maxLength?: number; field: string; ignore?: string[] };
  /** Our categories -> the partner's; a category missing from the map is unsupported there. */
  categories?: { map: Partial<Record<string, string>>; max: number; field: string };
  images: ImageSpec[];
  /**
   * Paid extensions: `listed` (the partner shows a price), `unlisted` (no pricing there: the
   * listing goes out without it, PAID_UNSUPPORTED warning) or `refused` (PAID_UNSUPPORTED error).
   */
  paid: 'listed' | 'unlisted' | 'refused';
  /** Whether the partner takes localized copy (`listing.locales`); otherwise only the default locale goes. */
  localized: boolean;
}

/** Every category of ours, mapped to itself (our own registry). */
const OWN_CATEGORIES = { geometry: 'geometry', renderer: 'renderer', ui: 'ui', 'agent-tools': 'agent-tools', audio: 'audio', data: 'data', education: 'education', art: 'art' };

/** The rules of every target. Numbers marked "not documented" are our conservative picks. */
export const PARTNER_TARGETS: Readonly<Record<TargetId, TargetRules>> = {
  registry: {
    id: 'registry',
    name: 'VIB3 registry',
    kind: 'registry',
    // Our own registry: the manifest schema's limits, nothing trimmed, previews at 1280×720.
    docs: 'docs/LISTINGS.md and docs/MARKETPLACE-POLICY.md (src/extensions/manifest/schema/extension.schema.json)',
    // A listing's copy as the listing schema bounds it (title: marketplace.title ≤ 60 or the name ≤ 64;
    // summary: marketplace.summary ≤ 160 or the manifest's description ≤ 500).
    title: { max: 64, over: 'refuse', field: 'title' },
    summary: { max: 500, over: 'refuse', field: 'summary' },
    description: { max: 5000, over: 'refuse', field: 'description' },
    tags: { max: 20, over: 'refuse', maxLength: 32, field: 'tags' },
    categories: { map: OWN_CATEGORIES, max: 3, field: 'categories' },
    images: [{ slot: 'preview', width: 1280, height: 720, format: 'webp', count: { min: 0, max: 10 }, required: false }],
    paid: 'listed',
    localized: true,
  },
  npm: {
    id: 'npm',
    name: 'npm',
    kind: 'api',
    docs: 'https://docs.npmjs.com/cli/v10/configuring-npm/package-json',
    // npm has no title field: it heads README.md. 214 is npm's own limit on names; nothing is cut.
    title: { max: 214, over: 'refuse', field: 'README.md heading' },
    // package.json `description` has no documented limit: 500, the longest summary a listing has.
    summary: { max: 500, over: 'refuse', field: 'description' },
    // `keywords` has no documented limit: our manifest's 20 × 32 applies.
    tags: { max: 20, over: 'refuse', maxLength: 32, field: 'keywords' },
    images: [],
    paid: 'unlisted',
    localized: false,
  },
  wordpress: {
    id: 'wordpress',
    name: 'WordPress.org plugin directory',
    kind: 'svn',
    // readme.txt: https://developer.wordpress.org/plugins/wordpress-org/how-your-readme-txt-works/
    // The directory's parser (wordpress.org plugin-directory readme/class-parser.php) keeps the first
    // 5 tags (array_slice), drops the tags `plugin` and `wordpress`, and trims the short
    // description at 150 characters. Sections are limited in words (2,500 for the description),
    // which a 5,000-character description cannot exceed, so no description limit applies here.
    docs: 'https://developer.wordpress.org/plugins/wordpress-org/how-your-readme-txt-works/ ; https://developer.wordpress.org/plugins/wordpress-org/plugin-assets/',
    // The plugin name has no documented limit: our manifest's 60.
    title: { max: 60, over: 'refuse', field: '=== Plugin Name ===' },
    summary: { max: 150, over: 'trim', field: 'Short description' },
    tags: { max: 5, over: 'trim', field: 'Tags', ignore: ['plugin', 'wordpress'] },
    // assets/: JPG or PNG, sizes as the file names say (banner 772×250 + 1544×500 high-DPI,
    // icon 128×128 + 256×256, screenshot-N matched to the == Screenshots == list). None is required.
    images: [
      { slot: 'banner', width: 772, height: 250, format: 'png', required: false, fileName: 'banner-772x250.png' },
      { slot: 'banner-2x', width: 1544, height: 500, format: 'png', required: false, fileName: 'banner-1544x500.png' },
      { slot: 'icon', width: 128, height: 128, format: 'png', required: false, fileName: 'icon-128x128.png' },
      { slot: 'icon-2x', width: 256, height: 256, format: 'png', required: false, fileName: 'icon-256x256.png' },
      // Screenshot size is not prescribed; we render them at 1280×720. Count: one per preset (≤ 10 previews).
      { slot: 'screenshot', width: 1280, height: 720, format: 'png', count: { min: 0, max: 10 }, required: false, fileName: 'screenshot-{n}.png' },
    ],
    // Guideline 5 (https://developer.wordpress.org/plugins/wordpress-org/detailed-plugin-guidelines/): no trialware.
    paid: 'refused',
    localized: false,
  },
  'mcp-registry': {
    id: 'mcp-registry',
    name: 'MCP Registry',
    kind: 'api',
    // server.json, validated against the published schema vendored in ./schema/server.schema.json
    // (2025-12-11: title ≤ 100, description 1–100, the registry refuses anything else).
    docs: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json ; https://github.com/modelcontextprotocol/registry',
    title: { max: 100, over: 'refuse', field: 'title' },
    summary: { max: 100, over: 'refuse', field: 'description' },
    images: [],
    paid: 'unlisted',
    localized: false,
  },
  figma: {
    id: 'figma',
    name: 'Figma Community',
    kind: 'export',
    docs: 'https://help.figma.com/hc/en-us/articles/360042293394-Publish-plugins-to-the-Figma-Community',
    // Name limit not documented: 50 (conservative). Tagline: 100 characters.
    title: { max: 50, over: 'refuse', field: 'Name' },
    summary: { max: 100, over: 'trim', field: 'Tagline' },
    // Description limit not documented: 5,000 (our manifest's).
    description: { max: 5000, over: 'trim', field: 'Description' },
    // Up to 12 tags (count as the publish dialog takes them; per-tag length not documented).
    tags: { max: 12, over: 'trim', field: 'Tags' },
    // Figma has no fixed plugin categories matching ours beyond these (our mapping onto its picker).
    categories: { map: { geometry: 'Design tools', art: 'Design tools', ui: 'Design tools', data: 'Visualization', education: 'Education', 'agent-tools': 'AI' }, max: 1, field: 'Category' },
    images: [
      { slot: 'icon', width: 128, height: 128, format: 'png', required: true },
      { slot: 'cover', width: 1920, height: 1080, format: 'png', required: true },
    ],
    paid: 'listed',
    localized: false,
  },
  framer: {
    id: 'framer',
    name: 'Framer Marketplace',
    kind: 'export',
    docs: 'https://www.framer.com/developers/publishing ; https://www.framer.com/developers/configuration ; https://www.framer.com/help/articles/how-to-publish-a-plugin/',
    // Framer documents no character limits for name, byline or description: conservative picks.
    title: { max: 30, over: 'refuse', field: 'Name' },
    summary: { max: 100, over: 'trim', field: 'Byline' },
    description: { max: 2000, over: 'trim', field: 'Description' },
    tags: { max: 5, over: 'trim', field: 'Tags' },
    categories: { map: { geometry: 'Design', art: 'Design', renderer: 'Design', ui: 'Design', data: 'Data', 'agent-tools': 'AI', education: 'Education' }, max: 1, field: 'Category' },
    images: [
      // Plugin icon: "an image of 90px by 90px" (configuration docs; a 30×30 SVG otherwise).
      { slot: 'icon', width: 90, height: 90, format: 'png', required: true },
      // Marketplace images: size not documented; 1600×1200 (the 4:3 of its cards).
      { slot: 'screenshot', width: 1600, height: 1200, format: 'png', count: { min: 1, max: 5 }, required: true },
    ],
    paid: 'listed',
    localized: false,
  },
  webflow: {
    id: 'webflow',
    name: 'Webflow Marketplace',
    kind: 'export',
    docs: 'https://developers.webflow.com/apps/docs/marketplace/listing-your-app ; https://developers.webflow.com/apps/docs/marketplace/submitting-your-app',
    // Character limits not documented on the listing page: conservative picks.
    title: { max: 30, over: 'refuse', field: 'App name' },
    summary: { max: 100, over: 'trim', field: 'Short description' },
    description: { max: 2000, over: 'trim', field: 'Long description' },
    categories: { map: { ui: 'Design', art: 'Design', geometry: 'Design', renderer: 'Design', data: 'Data & Analytics', 'agent-tools': 'AI', education: 'Education' }, max: 2, field: 'Categories' },
    images: [
      { slot: 'icon', width: 900, height: 900, format: 'png', required: true },
      { slot: 'screenshot', width: 1280, height: 846, format: 'png', count: { min: 1, max: 5 }, required: true },
    ],
    paid: 'listed',
    localized: false,
  },
  canva: {
    id: 'canva',
    name: 'Canva Apps Marketplace',
    kind: 'export',
    // App name: "fewer than 10 characters … more than 10 may lead to overflow" (advice, not a field
    // limit: we refuse only past 30, a conservative cap). Tagline: fewer than 50 characters.
    docs: 'https://www.canva.dev/docs/apps/app-listing-guidelines/ ; https://www.canva.dev/docs/extensions/distribution/app-directory-listing/',
    title: { max: 30, over: 'refuse', field: 'App name' },
    summary: { max: 50, over: 'trim', field: 'App tagline' },
    // Description limit not documented: 1,000 (conservative).
    description: { max: 1000, over: 'trim', field: 'App description' },
    categories: { map: { art: 'Graphics', geometry: 'Graphics', renderer: 'Graphics', data: 'Data visualization', education: 'Education', 'agent-tools': 'AI generation' }, max: 1, field: 'Category' },
    images: [
      // Sizes not documented in what we could read: 128×128 icon, 1600×900 featured image (conservative).
      { slot: 'icon', width: 128, height: 128, format: 'png', required: true },
      { slot: 'featured', width: 1600, height: 900, format: 'png', required: true },
    ],
    paid: 'listed',
    localized: false,
  },
  shopify: {
    id: 'shopify',
    name: 'Shopify App Store',
    kind: 'export',
    // App name "must be 30 characters or fewer"; icon 1200×1200; desktop screenshots 1600×900
    // (3 required, up to 6); app introduction 100 and app details 500 characters; feature media 1600×900.
    docs: 'https://shopify.dev/docs/apps/launch/app-store-review/app-listing-guidelines ; https://help.shopify.com/en/api/app-store/listing-in-the-app-store/app-listing',
    title: { max: 30, over: 'refuse', field: 'App name' },
    summary: { max: 100, over: 'trim', field: 'App introduction' },
    description: { max: 500, over: 'trim', field: 'App details' },
    // Search terms: up to 5; per-term length not documented: 20 (conservative).
    tags: { max: 5, over: 'trim', maxLength: 20, field: 'Search terms' },
    // Shopify's categories are commerce ones: audio and education have no counterpart.
    categories: { map: { ui: 'Store design', art: 'Store design', geometry: 'Store design', renderer: 'Store design', data: 'Store management', 'agent-tools': 'Store management' }, max: 1, field: 'Primary category' },
    images: [
      { slot: 'icon', width: 1200, height: 1200, format: 'png', required: true },
      { slot: 'screenshot', width: 1600, height: 900, format: 'png', count: { min: 3, max: 6 }, required: true },
      { slot: 'feature', width: 1600, height: 900, format: 'png', required: false },
    ],
    paid: 'listed',
    localized: true,
  },
  chrome: {
    id: 'chrome',
    name: 'Chrome Web Store',
    kind: 'export',
    // Name ≤ 75 and summary (manifest description) ≤ 132 characters, which the store refuses beyond;
    // store icon 128×128, screenshots 1280×800 (1–5), small promo tile 440×280 (required), marquee 1400×560.
    docs: 'https://developer.chrome.com/docs/webstore/images ; https://developer.chrome.com/docs/extensions/reference/manifest/name ; https://developer.chrome.com/docs/extensions/reference/manifest/description',
    title: { max: 75, over: 'refuse', field: 'Name' },
    summary: { max: 132, over: 'trim', field: 'Summary' },
    // The detailed description's limit is not on the pages above: 16,000 as the dashboard takes it.
    description: { max: 16000, over: 'trim', field: 'Description' },
    categories: { map: { renderer: 'Developer Tools', ui: 'Developer Tools', 'agent-tools': 'Tools', data: 'Tools', education: 'Education', art: 'Art & Design', geometry: 'Art & Design', audio: 'Entertainment' }, max: 1, field: 'Category' },
    images: [
      { slot: 'icon', width: 128, height: 128, format: 'png', required: true },
      { slot: 'screenshot', width: 1280, height: 800, format: 'png', count: { min: 1, max: 5 }, required: true },
      { slot: 'promo-small', width: 440, height: 280, format: 'png', required: true },
      { slot: 'promo-marquee', width: 1400, height: 560, format: 'png', required: false },
    ],
    paid: 'listed',
    localized: true,
  },
};

/** Whether `value` names a target. */
export function isTargetId(value: string): value is TargetId {
  return (TARGET_IDS as readonly string[]).includes(value);
}

/** The targets that get an export bundle (portal-only marketplaces). */
export const EXPORT_TARGETS: readonly TargetId[] = TARGET_IDS.filter((t) => PARTNER_TARGETS[t].kind === 'export');
