// Generated marketplace listings for bench/registry.mjs: 10,000 extensions with varied titles,
// summaries, tags and categories drawn from word lists by a seeded PRNG (same seed, same
// listings), skewed (Zipf-like) so that full-text search sees common, medium and rare words like
// a real catalogue. Also the two package builders: signed .vib3x packages (the registry test
// harness's builder, returning the manifest as well) and minimal npm tarballs (Verdaccio).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { packFiles, readArchive, signPackage } from '../../src/extensions/index.ts';

/** mulberry32: a small, fast, seeded PRNG returning [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const w = (s) => s.trim().split(/\s+/);
// Ordered roughly by how common they should be: skewed picks favour the front of each list.
const ADJECTIVES = w(`
  neon crystal fractal twisted hyper glowing soft rotating folded mirrored infinite quantum liquid
  prismatic spectral woven radiant spinning layered fluid shattered chromatic lunar solar polar
  harmonic minimal dense sparse recursive orbital tidal molten frozen silent vivid gentle stellar
  magnetic elastic tangled braided hollow nested ethereal velvet amber cobalt crimson emerald ivory
  obsidian scarlet violet azure golden silver copper marble granite misty dusky dawnlit twilight
  chaotic ordered symmetric asymmetric toroidal spherical cubic conic helical spiral angular
  curved jagged smooth rippled pulsing breathing drifting floating sinking rising tumbling`);
const NOUNS = w(`
  prism lattice mesh torus polytope tesseract shader palette canvas grid field wave orbit
  knot ribbon spiral vortex bloom nebula crystal lens mirror portal horizon garden forest ocean
  tunnel cathedral labyrinth engine atlas compass beacon lantern spire fountain cascade dune
  glacier comet quasar pulsar aurora ember cinder shard facet vertex simplex duoprism hypercube
  manifold surface shell membrane filament weave tapestry mosaic kaleidoscope hologram projection
  slicer sampler sequencer mixer visualizer inspector explorer navigator sketchbook notebook
  clock metronome oscillator synth resonator chamber gallery museum studio workshop laboratory`);
const VERBS = w(`
  renders animates slices projects rotates morphs blends generates sculpts explores visualizes
  colors lights folds unfolds sequences samples maps warps tiles mirrors layers filters`);
const FEATURES = w(`
  webgpu-shaders audio-reactivity agent-tools keyboard-controls touch-gestures export-to-png
  export-to-gltf live-parameters color-themes presets timelines midi-input dark-mode
  high-dpi-output slow-motion stereo-views depth-fog bloom-glow motion-blur`).map((f) => f.replace(/-/g, ' '));
const AUDIENCES = w(`
  classrooms artists designers musicians researchers students live-shows installations
  museums streamers game-jams lectures workshops demoscene dashboards kiosks`).map((a) => a.replace(/-/g, ' '));
const TAGS = w(`
  4d 3d shader webgpu webgl animation generative math geometry polytope audio music education
  art color light physics fractal noise particles mesh slicing projection rotation symmetry
  tiling topology knot torus sphere hypercube tesseract simplex duoprism lattice crystal
  kaleidoscope mirror glow bloom fog depth vr stereo midi timeline export png gltf svg
  dashboard data chart plot graph network map terrain ocean sky space galaxy nebula planet
  orbit gravity wave interference harmonic resonance rhythm beat synth sampler sequencer
  classroom lecture demo kiosk museum installation stream live retro pixel ascii neon minimal
  organic botanical floral coral crystal-growth voronoi delaunay perlin simplex-noise curl
  flow-field reaction-diffusion cellular automata l-system recursion spiral fibonacci golden-ratio`);
const CATEGORIES = ['geometry', 'renderer', 'art', 'education', 'ui', 'agent-tools', 'audio', 'data'];
const TLDS = ['com', 'io', 'dev', 'org', 'net', 'app', 'studio', 'art'];
const VENDORS = w(`
  lumen vertex hyperform polyglot prismworks meshcraft tessera orbitlab fractalia nullspace
  quadric simplexa chroma umbra lucent axiom vector kinetic halcyon meridian solstice equinox
  zenith nadir parallax vantage catalyst paradigm keystone cornerstone northwind southpaw
  bluebird redshift greenfield blackbox whitebox graybeard silverline goldleaf ironclad
  copperhead tinman glassworks paperplane inkwell quillpen starling kestrel osprey heron
  falcon raven magpie wren finch sparrow`);

/** Index into a list of n with a Zipf-like skew (s ≈ 1): the front is picked far more often. */
function skewed(rand, n) {
  return Math.min(n - 1, Math.floor(Math.exp(rand() * Math.log(n + 1)) - 1));
}
const pick = (rand, list) => list[skewed(rand, list.length)];
const pickUniform = (rand, list) => list[Math.floor(rand() * list.length)];
const cap = (s) => s[0].toUpperCase() + s.slice(1);
const plural = (s) => (/(s|x|sh|ch)$/.test(s) ? `${s}es` : /[^aeiou]y$/.test(s) ? `${s.slice(0, -1)}ies` : `${s}s`);
function distinct(rand, list, count, pickFn = pick) {
  const out = new Set();
  for (let guard = 0; out.size < count && guard < 100; guard++) out.add(pickFn(rand, list));
  return [...out];
}

/**
 * `count` listings: { id (also the npm package name), title, summary, tags, categories }.
 * Ids are `<tld>.<vendor>.<adjective>-<noun>[-<n>]` over ~480 namespaces.
 */
export function generateListings(count = 10_000, seed = 0x5eed) {
  const rand = prng(seed);
  const seen = new Set();
  const listings = [];
  while (listings.length < count) {
    const adj = pick(rand, ADJECTIVES);
    const noun = pick(rand, NOUNS);
    const ns = `${pickUniform(rand, TLDS)}.${pickUniform(rand, VENDORS)}`;
    let slug = `${adj}-${noun}`;
    for (let n = 2; seen.has(`${ns}.${slug}`); n++) slug = `${adj}-${noun}-${n}`;
    const id = `${ns}.${slug}`;
    seen.add(id);
    const second = rand() < 0.35 ? ` ${cap(pick(rand, NOUNS))}` : '';
    const title = `${cap(adj)} ${cap(noun)}${second}`.slice(0, 60);
    const summary = `${cap(pick(rand, VERBS))} ${pick(rand, ADJECTIVES)} ${plural(pick(rand, NOUNS))} and ${pick(rand, ADJECTIVES)} ${plural(pick(rand, NOUNS))} with ${pick(rand, FEATURES)} for ${pick(rand, AUDIENCES)}.`.slice(0, 160);
    const tags = distinct(rand, TAGS, 2 + Math.floor(rand() * 5));
    const categories = distinct(rand, CATEGORIES, 1 + Math.floor(rand() * rand() * 3));
    listings.push({ id, title, summary, tags, categories });
  }
  return listings;
}

/** Words of a listing as a search engine would see them (for document frequencies). */
export function wordsOf(l) {
  return new Set(`${l.id.replace(/[.-]/g, ' ')} ${l.title} ${l.summary} ${l.tags.join(' ')} ${l.categories.join(' ')}`.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean));
}

/**
 * The rotating search words: `perTier` words from each document-frequency tier (common ≥ 5 %,
 * medium 0.5–5 %, rare < 0.5 % of listings) and two-word queries, with their frequencies.
 */
export function queryWords(listings, perTier = 8) {
  const df = new Map();
  for (const l of listings) for (const word of wordsOf(l)) df.set(word, (df.get(word) ?? 0) + 1);
  const n = listings.length;
  // Only vocabulary words (not vendor names or numbers), at least 3 letters, so stemming leaves them alone.
  const vocab = new Set([...ADJECTIVES, ...NOUNS, ...TAGS.filter((t) => !t.includes('-'))]);
  const candidates = [...df].filter(([word]) => vocab.has(word) && /^[a-z]{3,}$/.test(word) && !/(s|ing|ed|ly)$/.test(word)).sort((a, b) => b[1] - a[1]);
  const tier = (lo, hi) => candidates.filter(([, c]) => c / n >= lo && c / n < hi);
  const spread = (list, k) => Array.from({ length: Math.min(k, list.length) }, (_, i) => list[Math.floor((i * list.length) / Math.min(k, list.length))]);
  const common = spread(tier(0.05, 1), perTier);
  const medium = spread(tier(0.005, 0.05), perTier);
  const rare = spread(tier(0, 0.005), perTier);
  const rand = prng(7);
  const pairs = Array.from({ length: perTier }, () => {
    const l = listings[Math.floor(rand() * n)];
    const [a, b] = l.title.toLowerCase().split(' ');
    const matches = listings.filter((x) => { const ws = wordsOf(x); return ws.has(a) && ws.has(b); }).length;
    return [`${a} ${b}`, matches];
  });
  const out = [];
  for (const [name, list] of [['common', common], ['medium', medium], ['rare', rare], ['two words', pairs]]) {
    for (const [q, count] of list) out.push({ q, tier: name, listings: count, share: count / n });
  }
  return out;
}

// --- signed .vib3x packages (as test/registry/harness.ts makePackage) --------------------------

const enc = new TextEncoder();
const reference = JSON.parse(readFileSync(new URL('../../extensions/duoprism/extension.json', import.meta.url), 'utf8'));
// The reference extension's built files, from its committed signed package (its dist/ is a build output).
const referenceFiles = readArchive(new Uint8Array(readFileSync(new URL('../../extensions/duoprism/dev.vib3.duoprism-1.0.1.vib3x', import.meta.url))));
const workerJs = referenceFiles.get('dist/worker.js');
const toolsJson = referenceFiles.get('dist/tools.json');

/**
 * A signed package of `listing` at `version` for the publisher key ({ keyId, privateJwk }): the
 * reference extension's worker under the listing's id and marketplace text. `padding` adds that
 * many bytes of seeded noise (a large package). Returns the package bytes.
 */
export async function makePackage(publisher, listing, version = '1.0.0', padding = 0) {
  const manifest = JSON.parse(JSON.stringify(reference));
  manifest.id = listing.id;
  manifest.version = version;
  manifest.name = listing.title;
  manifest.description = listing.summary;
  manifest.publisher = { ...manifest.publisher, keyId: publisher.keyId };
  manifest.marketplace = { ...manifest.marketplace, title: listing.title, summary: listing.summary, categories: listing.categories, tags: listing.tags };
  delete manifest.marketplace.locales;
  delete manifest.marketplace.previews;
  const files = new Map([
    ['extension.json', enc.encode(JSON.stringify(manifest, null, 2))],
    ['dist/worker.js', workerJs],
    ['dist/tools.json', toolsJson],
  ]);
  if (padding) {
    const rand = prng(padding);
    const noise = new Uint8Array(Math.ceil(padding / 4) * 4);
    const view = new DataView(noise.buffer);
    for (let i = 0; i < noise.length; i += 4) view.setUint32(i, (rand() * 2 ** 32) >>> 0, true);
    files.set('assets/padding.bin', noise.subarray(0, padding));
  }
  return signPackage(packFiles(files), publisher.privateJwk);
}

// --- npm packages (Verdaccio) ----------------------------------------------------------------

/** A ustar header block for a regular file. */
function tarHeader(path, size) {
  const h = Buffer.alloc(512);
  h.write(path, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

/** A gzipped ustar archive of `files` ([path, string | bytes] pairs, in order), as `npm pack` writes one. */
export function tarGz(files) {
  const parts = [];
  for (const [path, content] of files) {
    const body = Buffer.from(content);
    parts.push(tarHeader(path, body.length), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

/** A minimal npm tarball (package/package.json + package/index.js, gzip). */
export function npmTarball(pkgJson) {
  return tarGz([['package/package.json', JSON.stringify(pkgJson, null, 2)], ['package/index.js', 'module.exports = {};\n']]);
}

/** The `npm publish` request body (PUT /<name>) of `listing` at 1.0.0, for `registryUrl`. */
export function npmPublishBody(listing, registryUrl) {
  const manifest = {
    name: listing.id,
    version: '1.0.0',
    description: `${listing.title}. ${listing.summary}`,
    keywords: [...listing.tags, ...listing.categories],
    main: 'index.js',
    license: 'MIT',
  };
  return npmPublishDocument(manifest, npmTarball(manifest), registryUrl);
}

/**
 * The `npm publish` request body (PUT /<name>) of the package.json `manifest` (name, version,
 * description …) with its tarball `tgz`, for `registryUrl`: what `npm publish` sends.
 */
export function npmPublishDocument(manifest, tgz, registryUrl) {
  const { name, version } = manifest;
  const file = `${name}-${version}.tgz`;
  return {
    _id: name,
    name,
    description: manifest.description,
    'dist-tags': { latest: version },
    versions: {
      [version]: {
        ...manifest,
        _id: `${name}@${version}`,
        dist: {
          shasum: createHash('sha1').update(tgz).digest('hex'),
          integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}`,
          tarball: `${registryUrl}/${name}/-/${file}`,
        },
      },
    },
    _attachments: { [file]: { content_type: 'application/octet-stream', data: tgz.toString('base64'), length: tgz.length } },
  };
}
