// bench/results/install.md from the results bench/install.mjs collected: the goals first, then
// every operation per client and size, then where the time goes (median phases).
import { PHASE_GROUPS } from './phases.mjs';
import { SIZE_LABELS } from './fixtures.mjs';

const CLIENT = {
  engine: 'engine, in-process (CLI file store)',
  cli: 'CLI process (`vib3 ext …`)',
  chromium: 'Chromium page (`Installer` + `ExtensionHost`, IndexedDB)',
  npm: '`npm install` from Verdaccio',
};
const SCENARIO = {
  cold: 'install, cold',
  warm: 'install, warm',
  update: 'update',
  channel: 'channel switch → cached version',
  rollbackOnline: 'rollback, online',
  rollbackOffline: 'rollback, offline (registry stopped)',
};
const NPM_SCENARIO = { cold: 'install, empty cache', warm: 'install, primed cache' };

const ms = (x) => (x === null || x === undefined ? 'n/a' : x >= 100 ? `${Math.round(x)} ms` : `${x.toFixed(1)} ms`);
const yes = (ok) => (ok ? '**met**' : '**not met**');
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;

export function renderReport(r) {
  const S = r.scenarios;
  const sizes = Object.keys(r.settings.sizes);
  const get = (client, scenario, size) => S[client]?.[scenario]?.[size];
  const installers = ['engine', 'cli', 'chromium'].filter((c) => S[c]);

  const goals = [];
  r.goals.met = {};
  for (const c of installers) {
    for (const kind of ['cold', 'warm']) {
      const cells = sizes.map((s) => get(c, kind, s)?.ms.p95);
      const ok = cells.every((x) => x !== undefined && x < r.goals.installP95Ms);
      r.goals.met[`install.${c}.${kind}`] = ok;
      goals.push(`| install p95 < 1 s, ${kind} | ${CLIENT[c]} | ${sizes.map((s, i) => `${SIZE_LABELS[s]}: ${ms(cells[i])}`).join(' · ')} | ${yes(ok)} |`);
    }
  }
  for (const c of installers) {
    for (const kind of ['rollbackOnline', 'rollbackOffline']) {
      const cells = sizes.map((s) => get(c, kind, s)?.ms.p95);
      const ok = cells.every((x) => x !== undefined && x < r.goals.rollbackMs);
      r.goals.met[`${kind}.${c}`] = ok;
      goals.push(`| rollback p95 < 200 ms, ${kind === 'rollbackOnline' ? 'online' : 'offline'} | ${CLIENT[c]} | ${sizes.map((s, i) => `${SIZE_LABELS[s]}: ${ms(cells[i])}`).join(' · ')} | ${yes(ok)} |`);
    }
  }
  if (S.npm) {
    for (const c of installers) {
      for (const kind of ['cold', 'warm']) {
        const cells = sizes.map((s) => ({ ours: get(c, kind, s)?.ms, npm: get('npm', kind, s)?.ms }));
        const ok = cells.every((x) => x.ours && x.npm && x.ours.p50 < x.npm.p50 && x.ours.p95 < x.npm.p95);
        r.goals.met[`fasterThanNpm.${c}.${kind}`] = ok;
        const text = cells.map((x, i) => `${SIZE_LABELS[sizes[i]]}: p50 ${ms(x.ours?.p50)} vs ${ms(x.npm?.p50)} (${x.ours && x.npm ? `${(x.npm.p50 / x.ours.p50).toFixed(1)}×` : '?'}), p95 ${ms(x.ours?.p95)} vs ${ms(x.npm?.p95)}`).join(' · ');
        goals.push(`| faster than \`npm install\` (p50 and p95), ${kind} | ${CLIENT[c]}${c === 'cli' ? ' — process vs process' : ''} | ${text} | ${yes(ok)} |`);
      }
    }
  }

  const rows = [];
  for (const scenario of Object.keys(SCENARIO)) {
    for (const size of sizes) {
      for (const c of [...installers, 'npm']) {
        const e = get(c, scenario, size);
        if (!e) continue;
        const label = c === 'npm' ? NPM_SCENARIO[scenario] : SCENARIO[scenario];
        const inner = e.innerMs ? ` (operation ${ms(e.innerMs.p50)})` : '';
        rows.push(`| ${label} | ${SIZE_LABELS[size]} | ${CLIENT[c]} | ${e.runs} | ${ms(e.ms.p50)}${inner} | ${ms(e.ms.p95)} | ${ms(e.ms.max)} |`);
      }
    }
  }

  const groups = Object.keys(PHASE_GROUPS);
  const phaseRows = [];
  for (const c of ['engine', 'chromium'].filter((x) => S[x])) {
    for (const scenario of Object.keys(SCENARIO)) {
      for (const size of sizes) {
        const p = get(c, scenario, size)?.phasesMedianMs;
        if (p) phaseRows.push(`| ${c} | ${SCENARIO[scenario]} | ${SIZE_LABELS[size]} | ${groups.map((g) => (p[g] === undefined ? '–' : ms(p[g]))).join(' | ')} |`);
      }
    }
  }

  const pkg = r.packages ?? { bytes: {} };
  const cli = r.cli ? `\`${r.cli.source}\`` : 'n/a';
  return `# Install benchmark (${r.date})

Machine: ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGB} GB, Node ${r.machine.node}, ${r.machine.os}.
Chromium ${r.versions.chromium ?? 'n/a'} (playwright-core ${r.versions['playwright-core']}), npm ${r.versions.npm ?? 'n/a'}, Verdaccio ${r.versions.verdaccio}.
Packages: ${sizes.map((s) => `${SIZE_LABELS[s]} = ${pkg.bytes[s]?.toLocaleString('en-US') ?? '?'} bytes signed .vib3x${r.npm ? ` (npm tarball ${Object.values(r.npm.tarballBytes)[sizes.indexOf(s)]?.toLocaleString('en-US') ?? '?'} bytes)` : ''}`).join(', ')}; random padding, so gzip cannot shrink them.
Runs: ${r.settings.runs} per row in-process and in Chromium, ${r.settings.processRuns} per row for spawned processes (CLI, npm), each row after one unrecorded run. Whole run: ${r.totalSeconds} s.
Numbers are measured and reported, never asserted.

## Goals

| goal | client | p95 (or p50 and p95) | |
|---|---|---|---|
${goals.join('\n')}

## All operations

| operation | package | client | runs | p50 | p95 | max |
|---|---|---|---|---|---|---|
${rows.join('\n')}

## Where the time goes (median ms per phase)

From the installer's own progress events: \`open\` is before the first event (store lock, state read), \`verify\` is
package signature + compatibility, \`consent\` consent + license, \`commit\` the state write and cache garbage collection.
A rollback has no refresh, resolve or download.

| client | operation | package | ${groups.join(' | ')} |
|---|---|---|${groups.map(() => '---').join('|')}|
${phaseRows.join('\n')}

## What each client measures

- **engine, in-process**: a new \`InstallerEngine\` per operation over the CLI's \`FileInstallStore\` (atomic, fsynced writes)
  and the CLI's consent (\`--yes\`), in the bench process (tsx, after one unrecorded run): what a \`vib3 ext\` process does minus
  starting Node and loading the CLI. Timed from the call to its result.
- **CLI process**: \`node vib3.js ext install <id> --registry URL --dir DIR --yes --json\` (and \`update\`, \`channel\`, \`rollback --to\`),
  one process at a time, timed from spawn to exit; "operation" is the \`ms\` the CLI's JSON result reports for the operation itself.
  CLI used: ${cli}.
- **Chromium page**: the page \`Installer\` of \`vib3-embed/marketplace\` with a real \`ExtensionHost\` and IndexedDB storage, bundled
  with esbuild and served from loopback (the registry is another origin). Timed in the page (\`performance.now\`) from the call
  to its result: TUF refresh, download, hashes, signature, compatibility, consent (a policy answering yes at once),
  **activation in the host** (a sandboxed iframe + worker started, or restarted with the new version) and the IndexedDB commit.
  Page load and the playwright round trip are not included. Cold and warm installs use a new host + \`Installer\` each
  (a page load); channel switches, rollbacks and updates run on one live host + \`Installer\`.
- **npm**: the same .vib3x bytes in an npm tarball (\`package/package.json\` + \`package/<id>-1.0.0.vib3x\`) published to a local
  Verdaccio ${r.versions.verdaccio}; \`npm install <name>@1.0.0 --registry <verdaccio> --prefix <new dir> --cache <dir> --no-audit --no-fund
  --ignore-scripts\` (empty userconfig, no progress), timed from spawn to exit. Empty cache: a new cache directory per run;
  primed cache: one shared cache filled by an unrecorded install, a new prefix per run. npm checks the tarball's sha512.

## Scenarios

- **install, cold**: an empty store, the registry's \`root.json\` passed in as the trusted root (\`--trust-root\`, \`trustedRoot\`): the first
  TUF refresh (timestamp, snapshot, targets and its delegated bin), the signed channel file, the package download, verify, activate, commit.
- **install, warm**: a store that already holds trusted TUF metadata (it installed and uninstalled the extension once, so the package
  is not cached): the refresh fetches only the next-root probe and the timestamp (the stored snapshot and targets are
  current, re-verified from the store); the package is downloaded again.
- **update**: before each run a new release of the extension is published (it becomes stable), so the refresh fetches new metadata,
  then the new package is downloaded, verified and activated.
- **channel switch → cached version**: alternating \`setChannel\` stable (1.0.0) ↔ beta (2.0.0-beta.1), both already in the cache:
  a refresh and the signed channel file, no package download.
- **rollback**: alternating \`rollback --to\` between the two cached versions; no network (the offline rows ran with the registry stopped).

## Notes

- The registry ran in its own process (bench/registry/server.mjs) with the per-address rate limits lifted; PGlite, file blobs.
- Registry errors logged: ${(r.registryErrors ?? []).length}. Chromium page errors: ${(r.chromiumPageErrors ?? []).length}${(r.chromiumPageErrors ?? []).length ? ` (first: ${r.chromiumPageErrors[0]})` : ''}.
  HTTP errors the page got: ${Object.entries(r.chromiumHttpErrors ?? {}).map(([k, n]) => `\`${k}\` × ${n}`).join(', ') || 'none'}${Object.keys(r.chromiumHttpErrors ?? {}).some((k) => /^404 \/tuf\/\d+\.root\.json$/.test(k)) ? ' (every TUF refresh asks for the next root version; 404 = no new root, as the TUF spec has it)' : ''}.
- Load average (1/5/15 min) at the start ${r.loadAverage.start.join(' / ')}, at the end ${r.loadAverage.end.join(' / ')} on ${r.machine.cores} cores: other work on the
  machine during the run inflates the tails (p95, max) more than the medians.
- Base package (reference worker, no padding): ${pkg.base ? kb(pkg.base) : '?'}.
`;
}
