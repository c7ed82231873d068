/**
 * The site builders `vib3 embed-code` writes snippets for, and what a person needs to know to
 * paste one there: where the code goes, and each builder's known restrictions. Plain data, so the
 * CLI, the demo page and docs/PARTNERS.md tell the same story.
 */

/** Builders with a snippet flavour (`html` is any hand-written page). */
export const BUILDERS = ['webflow', 'framer', 'squarespace', 'wix', 'html'] as const;
/** A builder's id. */
export type BuilderId = (typeof BUILDERS)[number];

/**
 * How pasted code sits in the builder's page: `inline` in the page itself (the element takes the
 * snippet's width and height), or `frame`, inside an iframe the builder sizes (the element fills it).
 */
export type EmbedLayout = 'inline' | 'frame';

/** Where to paste a snippet in one builder, and what that builder allows. */
export interface BuilderNotes {
  id: BuilderId;
  /** The builder's name, e.g. `Webflow`. */
  name: string;
  /** The builder's element that takes custom code, e.g. `Code Embed element`. */
  container: string;
  layout: EmbedLayout;
  /** Steps, in order, from an open editor to a published visual. */
  where: readonly string[];
  /** Several visuals on one site: where the script tag goes once. */
  siteWide: string;
  /** Known limits and behaviours of the builder that affect the snippet. */
  restrictions: readonly string[];
}

/** Notes that hold for every builder. */
export const COMMON_NOTES: readonly string[] = [
  'The integrity value pins the exact bytes of vib3.iife.js for this version: keep src, integrity and crossorigin together and unchanged; for another version, generate the snippet again.',
  'The CDN must answer with Access-Control-Allow-Origin for integrity to work (jsDelivr and unpkg do).',
  'The paragraph inside <vib3-canvas> is the fallback: it shows without JavaScript, when the browser refuses the script, and on devices with neither WebGPU nor WebGL2.',
  'Loading the script twice (two snippets on one page) is harmless.',
];

/** Every builder's notes, by id. */
export const BUILDER_NOTES: Readonly<Record<BuilderId, BuilderNotes>> = {
  webflow: {
    id: 'webflow',
    name: 'Webflow',
    container: 'Code Embed element',
    layout: 'inline',
    where: [
      'In the Designer, open the Add panel and drag a Code Embed element (Advanced section) to where the visual goes.',
      'Paste the snippet into its code editor and choose Save & Close.',
      'Open Preview or publish: the Designer canvas shows a placeholder and does not run embedded scripts.',
    ],
    siteWide: 'put the script tag once in Site settings → Custom code (Footer code) or in the page settings (Before </body> tag), and only the <vib3-canvas> elements in Code Embeds.',
    restrictions: [
      'A Code Embed holds at most 50,000 characters (this snippet is under 1 KB).',
      'Webflow publishes site-wide and page custom code only on paid site plans; check what your plan allows for Code Embeds.',
      'The element is width 100% of the Code Embed\'s parent: size that parent in the Designer, or pass --width.',
    ],
  },
  framer: {
    id: 'framer',
    name: 'Framer',
    container: 'Embed component (type HTML)',
    layout: 'inline',
    where: [
      'Insert the Embed component (Insert menu → Utility → Embed) where the visual goes.',
      'In its properties set Type to HTML and paste the snippet into the HTML field.',
      'Give the Embed a fixed height equal to the snippet\'s height (--height, 400px by default); the visual fills its width.',
      'Preview or publish: embedded scripts run in the preview and on the published site, not on the design canvas.',
    ],
    siteWide: 'put the script tag once in Site settings → General → Custom Code (End of <body> tag), and only the <vib3-canvas> elements in Embeds.',
    restrictions: [
      'The Embed is a fixed box that clips what does not fit: keep its height and the snippet\'s height equal.',
      'Framer renders pages on its own and may re-create embed HTML on navigation; the kit defines its element once and upgrades new copies, so this is harmless.',
      'Site-wide Custom Code applies to published sites on paid plans; check your plan.',
    ],
  },
  squarespace: {
    id: 'squarespace',
    name: 'Squarespace',
    container: 'Code block',
    layout: 'inline',
    where: [
      'Edit the page, click an insert point (Add block) and choose Code.',
      'Keep the mode on HTML, turn Display Source off, paste the snippet, and apply.',
      'Save and view the live page (logged out, or in a private window): the editor does not run scripts and shows a placeholder instead.',
    ],
    siteWide: 'put the script tag once in Code Injection (Footer), and only the <vib3-canvas> elements in Code blocks.',
    restrictions: [
      'JavaScript in Code blocks and Code Injection needs a plan that allows custom code (Core or higher, formerly Business); on other plans scripts are removed and the fallback text shows.',
      'Templates that load pages with Ajax (some 7.0 templates) do not run scripts in blocks after an in-site navigation: put the script tag in Code Injection, or turn Ajax loading off.',
    ],
  },
  wix: {
    id: 'wix',
    name: 'Wix',
    container: 'Embed HTML element (HTML iframe)',
    layout: 'frame',
    where: [
      'In the Editor choose Add Elements → Embed Code → Embed HTML.',
      'Click Enter Code, choose Code, paste the snippet and click Update.',
      'Drag the element\'s handles to the size you want: the visual fills the frame.',
    ],
    siteWide: 'each Embed HTML element is its own iframe, so each one keeps its own script tag (the browser caches the file).',
    restrictions: [
      'Wix runs the code inside an iframe served from another domain: the visual cannot reach your page, your page\'s CSS cannot reach it, and its size is the frame\'s size (--width and --height are ignored).',
      'Wix\'s site-wide Custom Code (Settings → Custom Code) needs a premium plan and a connected domain; the Embed HTML element does not.',
    ],
  },
  html: {
    id: 'html',
    name: 'Any HTML page',
    container: 'page\'s HTML',
    layout: 'inline',
    where: [
      'Paste the snippet where the visual goes.',
      'With several visuals, keep one script tag (in <head>, with defer) and paste only the <vib3-canvas> elements.',
    ],
    siteWide: 'put the script tag once in the shared layout (<head>, with defer).',
    restrictions: [
      'Under a Content-Security-Policy: script-src must allow the CDN, and worker-src blob: keeps the mesh worker (README, "Content Security Policy"). The snippet has no inline script; its style attribute needs style-src-attr \'unsafe-inline\', or move the sizes into your stylesheet.',
    ],
  },
};
