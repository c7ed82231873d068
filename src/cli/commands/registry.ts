/**
 * `vib3 registry …`: search a registry, create publishers (admin), verify publishers (admin grant
 * or domain proof), yank versions; `serve` and `keys` live in `./registry-serve.ts`.
 */
import { Option } from 'commander';
import { addHelpCommand, type Vib3Command } from '../command.js';
import { resolveToken } from '../credentials.js';
import { usageError } from '../errors.js';
import { RegistryClient, type ListingSummary, type SearchQuery } from '../registry-client.js';
import { verifyPublisher } from '../verify-publisher.js';
import { readPublicJwk } from '../jwk.js';
import { registerServeCommands } from './registry-serve.js';
import { registerSyncCommands } from './registry-sync.js';
import { adminTokenOption, integer, registryOption, tokenOption } from './shared.js';

/** The search options: the client's query (less the words, an argument) and the registry. */
type SearchOpts = Omit<SearchQuery, 'q'> & { registry: string };

/** The rows of a search result as an aligned table (descriptions cut to `width` columns when given). */
export function searchTable(items: ListingSummary[], width?: number): string[] {
  const rows = [['ID', 'VERSION', 'TIER', 'DESCRIPTION'], ...items.map((i) => [i.id, i.version, i.tier, i.description ?? ''])];
  const w = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => {
    const line = `${r[0]!.padEnd(w[0]!)}  ${r[1]!.padEnd(w[1]!)}  ${r[2]!.padEnd(w[2]!)}  ${r[3]}`;
    return width && line.length > width ? `${line.slice(0, Math.max(width - 1, 0))}…` : line;
  });
}

/** `<id>@<version>` split at the last `@`. */
function idAtVersion(spec: string, path: string): { id: string; version: string } {
  const at = spec.lastIndexOf('@');
  if (at <= 0 || at === spec.length - 1) throw usageError('INVALID_ARGUMENT', `${JSON.stringify(spec)} is not <id>@<version>, e.g. com.acme.shapes@1.2.0.`, path);
  return { id: spec.slice(0, at), version: spec.slice(at + 1) };
}

/** Adds the `registry` command group to the program. */
export function registerRegistryCommands(program: Vib3Command): void {
  const group = program
    .command('registry')
    .summary('Search a registry, register and verify publishers, yank versions, run a registry')
    .description('the VIB3 extension registry: search, publishers, yanks, and running one')
    .usages('<subcommand> [arguments] [options]');
  group.addHelpText(
    'after',
    [
      '',
      'Examples (scripted setup of a fresh registry):',
      '  vib3 registry serve --data .vib3-registry --port 4873 &',
      '  vib3 ext keygen --out .keys --name acme',
      '  vib3 registry publisher create acme --key .keys/acme.public.jwk --registry http://127.0.0.1:4873 \\',
      '      --admin-token "$(cat .vib3-registry/admin.token)" --json',
      '  vib3 login --registry http://127.0.0.1:4873 --token vib3_…',
      '  vib3 ext publish acme-shapes.vib3x --registry http://127.0.0.1:4873 --channel stable',
      '  vib3 registry search shapes --registry http://127.0.0.1:4873',
    ].join('\n'),
  );

  const search = group.command('search').description('Search the extensions of a registry').argument('[query]', 'Full-text query over ids, names, summaries and tags (default: everything).');
  registryOption(search)
    .option('--category <category>', 'Only this category, e.g. geometry.')
    .option('--tag <tag>', 'Only extensions with this tag.')
    .addOption(new Option('--tier <tier>', 'Only this trust tier.').choices(['verified', 'community', 'unverified']))
    .addOption(new Option('--sort <order>', 'Order of the results (default: relevance with a query, else updated).').choices(['relevance', 'updated', 'name']))
    .option('--limit <n>', 'Results per page, 1-100.', integer('--limit', 1, 100))
    .option('--cursor <cursor>', 'The next page: the nextCursor a previous search printed.')
    .option('--json', 'Print one JSON result: { ok, items, nextCursor }.')
    .usages('[<query>] --registry <url> [--category <c>] [--tag <t>] [--tier <tier>] [--sort <order>] [--limit <n>] [--cursor <c>] [--json]')
    .examples('vib3 registry search shapes --registry http://127.0.0.1:4873', 'vib3 registry search --registry http://127.0.0.1:4873 --tier verified --sort name --limit 20 --json')
    .run<SearchOpts>(async ({ io, args: [q], opts, json }) => {
      const client = new RegistryClient(opts.registry);
      const page = await client.search({ q, category: opts.category, tag: opts.tag, tier: opts.tier, sort: opts.sort, limit: opts.limit, cursor: opts.cursor });
      if (json) {
        io.out(JSON.stringify({ ok: true, items: page.items, nextCursor: page.nextCursor ?? null }, null, 2));
        return;
      }
      if (page.items.length === 0) io.out('No extensions match.');
      else for (const line of searchTable(page.items, process.stdout.isTTY ? process.stdout.columns : undefined)) io.out(line);
      if (page.nextCursor) io.out(`\nnextCursor: ${page.nextCursor}\n(more results: run the same search with --cursor ${page.nextCursor})`);
    });

  const publisher = group.command('publisher').description('Manage publisher accounts (admin)').usages('<subcommand> [arguments] [options]');
  const create = publisher
    .command('create')
    .description("Register a publisher and its Ed25519 public key; prints the publisher's API token")
    .argument('<name>', 'Publisher name: lowercase letters, digits and dashes, e.g. acme.')
    .option('--key <public.jwk>', 'Required. The public key from vib3 ext keygen (repeat for several keys).', (v: string, prev?: string[]) => [...(prev ?? []), v])
    .option('--display-name <name>', 'Name shown in listings (default: the name).');
  registryOption(create);
  adminTokenOption(create, 'Required. An admin token (the registry writes one to <data>/admin.token on first start).')
    .option('--json', 'Print one JSON result: { ok, name, token, keyIds }.')
    .usages('<name> --key <public.jwk> --registry <url> --admin-token <token> [--display-name <name>] [--json]')
    .whenMissing('name', 'MISSING_NAME', 'registry publisher create needs the publisher\'s name, e.g. "vib3 registry publisher create acme --key .keys/acme.public.jwk …".')
    .requires('key', 'MISSING_OPTION', 'registry publisher create needs --key <public.jwk>.')
    .requires('adminToken', 'MISSING_ADMIN_TOKEN', 'registry publisher create needs --admin-token <token> (or $VIB3_ADMIN_TOKEN).')
    .examples('vib3 registry publisher create acme --key .keys/acme.public.jwk --registry http://127.0.0.1:4873 --admin-token "$(cat .vib3-registry/admin.token)"')
    .run<{ registry: string; key: string[]; adminToken: string; displayName?: string }>(async ({ io, args: [name], opts, json }) => {
      const keys = opts.key.map((k) => readPublicJwk(k));
      const client = new RegistryClient(opts.registry, { token: opts.adminToken });
      const created = await client.createPublisher({ name: name!, keys, ...(opts.displayName ? { displayName: opts.displayName } : {}) });
      if (json) io.out(JSON.stringify({ ok: true, name: created.name, token: created.token, keyIds: created.keyIds }, null, 2));
      else io.out(`Created publisher ${created.name} (keys: ${created.keyIds.join(', ')}).\nAPI token (shown once; keep it secret, e.g. vib3 login --registry ${client.base}):\n${created.token}`);
    });
  addHelpCommand(publisher);

  const verify = group
    .command('verify')
    .description("Make a publisher verified: an admin's grant, or a proof served at the publisher's domain")
    .argument('<name>', 'The publisher.');
  registryOption(verify);
  adminTokenOption(verify, 'Grant verification as an admin (with --domain: also give it that domain\'s namespace).');
  tokenOption(verify, "The publisher's token for a domain proof (default: the one vib3 login stored).")
    .option('--domain <domain>', 'The domain to prove, e.g. acme.com (its namespace com.acme becomes the publisher\'s).')
    .option('--key <private.jwk>', 'Sign the challenge with this publisher key and write the proof document (--out).')
    .option('-o, --out <file>', 'Where to write the signed proof document (default: vib3-publisher.json).')
    .option('--served', 'The proof is served at https://<domain>/.well-known/vib3-publisher.json: ask the registry to check it.')
    .option('--json', 'Print one JSON result: the publisher (or the challenge).')
    .usages('<name> --registry <url> --admin-token <token> [--domain <domain>]', '<name> --registry <url> --domain <domain> [--token <token>] [--key <private.jwk> [-o <file>]] [--served]')
    .whenMissing('name', 'MISSING_NAME', 'registry verify needs the publisher\'s name, e.g. "vib3 registry verify acme --domain acme.com …".')
    .examples(
      'vib3 registry verify acme --registry http://127.0.0.1:4873 --admin-token "$(cat .vib3-registry/admin.token)"',
      'vib3 registry verify acme --domain acme.com --key .keys/acme.private.jwk --registry https://registry.example.com',
      'vib3 registry verify acme --domain acme.com --served --registry https://registry.example.com',
    )
    .run<{ registry: string; adminToken?: string; token?: string; domain?: string; key?: string; out?: string; served?: boolean }>(async ({ io, args: [name], opts, json }) => {
      if (!opts.adminToken && !opts.domain) throw usageError('MISSING_OPTION', 'registry verify needs --admin-token <token> (an admin grant) or --domain <domain> (a domain proof).', 'vib3 registry verify');
      const token = opts.adminToken ?? resolveToken(opts.registry, opts.token);
      await verifyPublisher(io, new RegistryClient(opts.registry, { token }), name!, { admin: Boolean(opts.adminToken), domain: opts.domain, key: opts.key, out: opts.out, served: opts.served === true, json });
    });

  // The operator's side, by name: `vib3 registry admin verify` is the admin grant of `registry verify`.
  const admin = group.command('admin').description('Registry operator tasks (admin token): grant a publisher the verified tier').usages('<subcommand> [arguments] [options]');
  const grant = admin
    .command('verify')
    .description('Grant a publisher the verified tier (optionally with a domain whose namespace it then owns)')
    .argument('<name>', 'The publisher.');
  registryOption(grant);
  adminTokenOption(grant, 'The admin token (the registry writes one to <data>/admin.token on first start).')
    .option('--domain <domain>', 'Also give the publisher this domain\'s namespace (acme.com → com.acme), verified.')
    .option('--json', 'Print one JSON result: the publisher.')
    .usages('<name> --registry <url> --admin-token <token> [--domain <domain>] [--json]')
    .requires('adminToken', 'MISSING_OPTION', 'registry admin verify needs --admin-token <token> (or VIB3_ADMIN_TOKEN).')
    .whenMissing('name', 'MISSING_NAME', 'registry admin verify needs the publisher\'s name, e.g. "vib3 registry admin verify acme --admin-token …".')
    .examples('vib3 registry admin verify acme --domain acme.com --registry http://127.0.0.1:4873 --admin-token "$(cat .vib3-registry/admin.token)"')
    .run<{ registry: string; adminToken: string; domain?: string }>(async ({ io, args: [name], opts, json }) => {
      await verifyPublisher(io, new RegistryClient(opts.registry, { token: opts.adminToken }), name!, { admin: true, domain: opts.domain, key: undefined, out: undefined, served: false, json });
    });
  addHelpCommand(admin);

  const yank = group
    .command('yank')
    .description('Yank a published version: still downloadable by exact version, never chosen by a range or channel')
    .argument('<id@version>', 'The version to yank, e.g. com.acme.shapes@1.2.0.')
    .option('--reason <text>', 'Required. Why (shown to users), e.g. "crashes on WebGL2".');
  registryOption(yank);
  tokenOption(yank, 'The publisher API token (default: the one vib3 login stored).')
    .option('--json', 'Print one JSON result.')
    .usages('<id>@<version> --reason <text> --registry <url> [--token <token>] [--json]')
    .whenMissing('id@version', 'MISSING_ARGUMENT', 'registry yank needs <id>@<version>, e.g. "vib3 registry yank com.acme.shapes@1.2.0 --reason …".')
    .requires('reason', 'MISSING_OPTION', 'registry yank needs --reason <text>.')
    .examples('vib3 registry yank com.acme.shapes@1.2.0 --reason "crashes on WebGL2" --registry http://127.0.0.1:4873')
    .run<{ registry: string; token?: string; reason: string }>(async ({ io, args: [spec], opts, json, command }) => {
      const { id, version } = idAtVersion(spec!, command.path());
      const client = new RegistryClient(opts.registry, { token: resolveToken(opts.registry, opts.token) });
      const result = await client.yank(id, version, opts.reason);
      if (json) io.out(JSON.stringify({ ok: true, id, version, ...result }, null, 2));
      else io.out(`yanked ${id}@${version}: ${opts.reason}`);
    });

  registerServeCommands(group);
  registerSyncCommands(group);
  addHelpCommand(group);
}
