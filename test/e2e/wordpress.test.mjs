// The WordPress plugin on a real WordPress (Debian's wordpress 6.1, php-cli, mariadb-server; started
// by test/support/wordpress.ts): the built zip installed through WordPress's plugin upgrader and
// activated, then
// - a post with the block and a post with [vib3] shortcodes, both carrying out-of-range values and
//   hostile attributes, rendered by WordPress and opened in Chromium (both flag sets): the element
//   renders (pixels), its attributes are the clamped values, nothing hostile arrives as markup or
//   runs, and the kit's script tag carries integrity + crossorigin and is served by the site itself;
// - the block editor (Chromium driving it): the block inserted through the inserter, a control
//   moved, the live preview following, the post published and its front end showing the value.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';
import { launch, open, readyState, FLAG_SETS } from './browser.mjs';

const repo = new URL('../../', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${repo}package.json`, 'utf8'));
const ZIP = `${repo}dist/partners/vib3-embed-wordpress-${pkg.version}.zip`;
const HOSTILE = '"><script>window.__pwned=1</script>';

/** Block attributes as the editor would save them, out of range and hostile. */
const BLOCK_ATTRS = {
  hue: 9999, // int, clamped to 360
  geometry: 3.7, // int, rounded to 4
  system: 'cubist', // not a system: dropped (the element's default applies)
  rot4dXW: 100, // clamped to 2π
  dimension: -50, // clamped to 3
  chaos: '1e999', // not finite: dropped
  theme: 'acme',
  alt: HOSTILE,
  poster: 'javascript:window.__pwned=1',
  onmouseover: 'window.__pwned=1', // not an attribute of the block
};
const BLOCK_EXPECTED = { geometry: '4', 'rot4d-xw': '6.283185', dimension: '3', hue: '360', theme: 'acme', alt: '">' };

/** Shortcodes: the first as the visual editor stores typed text (entities), the second raw. */
const SHORTCODES = [
  `[vib3 hue="9999" system="cubist" geometry="3.7" grid-density="0" speed="0.5" theme="light" alt="&quot;&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;" onmouseover="window.__pwned=1" poster="javascript:window.__pwned=1"]`,
  `[vib3 system="faceted" alt='${HOSTILE}' poster=" JaVaScRiPt:window.__pwned=1"]`,
];
const SHORTCODE_EXPECTED = { geometry: '4', 'grid-density': '4', speed: '0.5', hue: '360', theme: 'light', alt: '">' };

const CREATE_POST = `
$id = wp_insert_post( array( 'post_title' => $input['title'], 'post_content' => wp_slash( $input['content'] ), 'post_status' => 'publish' ), true );
if ( is_wp_error( $id ) ) {
	return array( 'error' => $id->get_error_message() );
}
return array( 'id' => $id, 'url' => get_permalink( $id ) );`;
// The block's comment delimiter, serialized by WordPress itself (as the editor's serializer does).
const BLOCK_CONTENT = `
return serialize_block( array( 'blockName' => 'vib3/canvas', 'attrs' => $input, 'innerBlocks' => array(), 'innerHTML' => '', 'innerContent' => array() ) );`;

let wp;
const posts = {};
let integrity;

before(async () => {
  if (!existsSync(ZIP)) {
    const { buildWordPressPlugin } = await import('../../scripts/build-wordpress.mjs');
    await buildWordPressPlugin();
  }
  integrity = JSON.parse(readFileSync(`${repo}dist/integrity.json`, 'utf8')).files['dist/vib3.iife.js'].integrity;
  const { startWordPress } = await tsImport('../support/wordpress.ts', import.meta.url);
  wp = await startWordPress({ pluginZip: ZIP, plugin: 'vib3-embed/vib3-embed.php' });
  const content = wp.php(BLOCK_CONTENT, BLOCK_ATTRS);
  posts.block = wp.php(CREATE_POST, { title: 'Block', content });
  posts.shortcode = wp.php(CREATE_POST, { title: 'Shortcode', content: `Before.\n\n${SHORTCODES.join('\n\n')}\n\nAfter.` });
  for (const p of Object.values(posts)) assert.ok(p.url, JSON.stringify(p));
});
after(async () => {
  await wp?.close();
});

/** Attributes of every <vib3-canvas> in `html` as WordPress served it (parsed by the browser, before any script). */
function servedElements(page, html) {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'text/html');
    return [...doc.querySelectorAll('vib3-canvas')].map((el) => Object.fromEntries(el.getAttributeNames().map((n) => [n, el.getAttribute(n)])));
  }, html);
}

/** What must hold on every front-end page: the kit's tag, nothing hostile, no page errors. */
async function assertSafePage(page, html, errors) {
  assert.ok(!html.includes('<script>window.__pwned'), 'the hostile script is not in the served HTML as markup');
  assert.ok(!/\son\w+\s*=\s*["']?window\.__pwned/i.test(html), 'no event-handler attribute carries the hostile code');
  const tags = await page.evaluate(() =>
    [...document.querySelectorAll('script[src*="vib3-embed/kit/vib3.iife.js"]')].map((s) => ({ src: s.src, integrity: s.integrity, crossorigin: s.getAttribute('crossorigin') })),
  );
  assert.equal(tags.length, 1, 'one kit script tag');
  assert.equal(tags[0].integrity, integrity, 'integrity = dist/integrity.json');
  assert.equal(tags[0].crossorigin, 'anonymous');
  assert.equal(new URL(tags[0].src).origin, wp.url, 'bundled: served by the site, not a CDN');
  assert.equal(new URL(tags[0].src).searchParams.get('ver'), pkg.version);
  assert.equal(await page.evaluate(() => window.Vib3?.version), pkg.version);
  for (const el of await page.locator('vib3-canvas').all()) await el.hover();
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'nothing hostile ran');
  assert.equal(await page.evaluate(() => document.querySelectorAll('[onmouseover], [poster^="javascript" i]').length), 0);
  assert.deepEqual(errors, []);
}

/** Scrolls the n-th element into view and waits for its first frame; returns readyState's stats. */
async function rendered(page, n) {
  await page.locator('vib3-canvas').nth(n).scrollIntoViewIfNeeded();
  await page.evaluate((i) => document.querySelectorAll('vib3-canvas')[i].setAttribute('id', `v${i}`), n);
  return readyState(page, `#v${n}`);
}

for (const flagSet of Object.keys(FLAG_SETS)) {
  const expected = FLAG_SETS[flagSet].expectedBackend;

  test(`[${flagSet}] a post with the block: <vib3-canvas> renders on ${expected} with the clamped attributes; hostile values are neutralized`, async () => {
    const browser = await launch(flagSet);
    try {
      const { page, errors } = await open(browser, posts.block.url);
      const html = await (await fetch(posts.block.url)).text();
      assert.deepEqual(await servedElements(page, html), [BLOCK_EXPECTED]);
      const state = await rendered(page, 0);
      assert.equal(state.backend, expected);
      assert.ok(state.std > 4, `a picture, not a flat fill: ${JSON.stringify(state)}`);
      const props = await page.evaluate(() => {
        const el = document.querySelector('vib3-canvas');
        return { hue: el.hue, geometry: el.geometry, system: el.system, chaos: el.chaos, dimension: el.dimension, rot4dXW: el.rot4dXW, theme: el.theme, wrapper: el.parentElement.className };
      });
      assert.deepEqual(
        { ...props, rot4dXW: Number(props.rot4dXW.toFixed(6)) },
        { hue: 360, geometry: 4, system: 'quantum', chaos: 0.2, dimension: 3, rot4dXW: 6.283185, theme: 'acme', wrapper: 'vib3-embed vib3-embed--16-9 wp-block-vib3-canvas' },
      );
      await assertSafePage(page, html, errors);
    } finally {
      await browser.close();
    }
  });

  test(`[${flagSet}] a post with [vib3] shortcodes: clamped, enumerated, escaped, and rendered on ${expected}`, async () => {
    const browser = await launch(flagSet);
    try {
      const { page, errors } = await open(browser, posts.shortcode.url);
      const html = await (await fetch(posts.shortcode.url)).text();
      const served = await servedElements(page, html);
      assert.equal(served.length, 2);
      assert.deepEqual(served[0], SHORTCODE_EXPECTED);
      // The raw one: whatever WordPress's own parsing leaves of it carries no markup and no javascript: URL.
      assert.equal(served[1].poster, undefined, 'a javascript: poster is dropped');
      assert.ok(Object.values(served[1]).every((v) => !/[<>]/.test(v)), JSON.stringify(served[1]));
      assert.ok(!('onmouseover' in served[0]));
      const state = await rendered(page, 0);
      assert.equal(state.backend, expected);
      assert.ok(state.std > 4, `a picture, not a flat fill: ${JSON.stringify(state)}`);
      assert.deepEqual(await page.evaluate(() => {
        const el = document.querySelector('vib3-canvas');
        return { hue: el.hue, geometry: el.geometry, gridDensity: el.gridDensity, system: el.system, speed: el.speed };
      }), { hue: 360, geometry: 4, gridDensity: 4, system: 'quantum', speed: 0.5 });
      await assertSafePage(page, html, errors);
    } finally {
      await browser.close();
    }
  });
}

test('the plugin table is the kit\'s: every parameter of PARAM_SPECS with its range and default, and the theme packs', async () => {
  const { PARAM_SPECS } = await tsImport('../../src/core/params.ts', import.meta.url);
  const entries = wp.php('return vib3_embed_entries();');
  for (const spec of PARAM_SPECS) {
    const entry = entries.find((e) => e.name === spec.name);
    assert.ok(entry, `${spec.name} is in the table`);
    assert.equal(entry.attribute, spec.attribute);
    assert.equal(entry.kind, spec.kind);
    if (spec.kind === 'enum') assert.deepEqual(entry.values, [...spec.values]);
    else assert.deepEqual([entry.min, entry.max, entry.default], [spec.min, spec.max, spec.default]);
  }
  assert.deepEqual(entries.find((e) => e.name === 'theme').values, ['acme', 'default-dark', 'high-contrast', 'light']);
  const registered = wp.php("$t = WP_Block_Type_Registry::get_instance()->get_registered( 'vib3/canvas' ); return array( 'attributes' => array_keys( $t->attributes ), 'dynamic' => $t->is_dynamic() );");
  assert.deepEqual(registered.attributes.filter((a) => a !== 'lock' && a !== 'className' && a !== 'align'), entries.map((e) => e.name));
  assert.equal(registered.dynamic, true);
});

test('the block editor: the VIB3 block inserts from the inserter, its live preview follows the controls, and the published post shows the values', async () => {
  const browser = await launch('plain');
  try {
    const { page, errors } = await open(browser, `${wp.url}/wp-login.php`);
    await page.fill('#user_login', wp.admin.user);
    await page.fill('#user_pass', wp.admin.password);
    await Promise.all([page.waitForURL(/\/wp-admin\//), page.click('#wp-submit')]);
    await page.goto(`${wp.url}/wp-admin/post-new.php`);
    await page.waitForFunction(() => window.wp?.data?.select('core/editor')?.getCurrentPostId() && window.wp.blocks.getBlockType('vib3/canvas'));
    await page.evaluate(() => {
      if (wp.data.select('core/edit-post').isFeatureActive('welcomeGuide')) wp.data.dispatch('core/edit-post').toggleFeature('welcomeGuide');
      wp.data.dispatch('core/editor').editPost({ title: 'Made in the editor' });
    });
    await page.getByRole('button', { name: 'Toggle block inserter' }).click();
    await page.getByRole('searchbox', { name: 'Search for blocks and patterns' }).fill('VIB3');
    await page.getByRole('option', { name: 'VIB3 Canvas' }).click();
    const selector = '.editor-styles-wrapper vib3-canvas';
    await page.waitForSelector(selector);
    await page.evaluate((s) => document.querySelector(s).setAttribute('id', 'preview'), selector);
    const state = await readyState(page, '#preview');
    assert.equal(state.backend, 'webgl2');
    assert.ok(state.std > 4, `the preview renders: ${JSON.stringify(state)}`);

    // A generated control (RangeControl "Hue" from the table) drives the preview.
    // The inserter closed, the block's settings sidebar open (editor chrome, through its store).
    await page.evaluate(() => {
      wp.data.dispatch('core/edit-post').setIsInserterOpened(false);
      wp.data.dispatch('core/edit-post').openGeneralSidebar('edit-post/block');
    });
    await page.getByRole('spinbutton', { name: 'Hue', exact: true }).fill('42');
    await page.waitForFunction(() => document.querySelector('#preview')?.getAttribute('hue') === '42');
    assert.equal(await page.evaluate(() => document.querySelector('#preview').hue), 42);
    await page.getByRole('combobox', { name: 'System' }).selectOption('holographic');
    await page.waitForFunction(() => document.querySelector('#preview')?.system === 'holographic');
    // An out-of-range value from the editor's data layer: the preview shows it clamped, as the server will.
    await page.evaluate(() => {
      const [block] = wp.data.select('core/block-editor').getBlocks();
      wp.data.dispatch('core/block-editor').updateBlockAttributes(block.clientId, { speed: 99 });
    });
    await page.waitForFunction(() => document.querySelector('#preview')?.getAttribute('speed') === '3');

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.locator('.editor-post-publish-panel').getByRole('button', { name: 'Publish', exact: true }).click();
    await page.waitForFunction(() => wp.data.select('core/editor').isCurrentPostPublished() && !wp.data.select('core/editor').isSavingPost());
    const id = await page.evaluate(() => wp.data.select('core/editor').getCurrentPostId());
    const saved = wp.php("return get_post( (int) $input )->post_content;", id);
    assert.match(saved, /^<!-- wp:vib3\/canvas \{[^}]*"hue":42[^}]*\} \/-->$/);
    assert.match(saved, /"speed":99/);
    assert.match(saved, /"system":"holographic"/);

    const front = await open(browser, await page.evaluate(() => wp.data.select('core/editor').getPermalink()));
    const html = await (await fetch(front.page.url())).text();
    assert.deepEqual(await servedElements(front.page, html), [{ system: 'holographic', speed: '3', hue: '42' }]);
    const published = await rendered(front.page, 0);
    assert.ok(published.std > 4, `the published post renders: ${JSON.stringify(published)}`);
    assert.deepEqual(front.errors, []);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('WordPress logged no notice, warning or _doing_it_wrong about the plugin', () => {
  const lines = wp.debugLog().split('\n').filter((l) => /vib3-embed|vib3\/canvas|vib3_embed/i.test(l));
  assert.deepEqual(lines, []);
});
