/**
 * `vib3 ext …`: a publisher's toolchain (create, build, lint, keygen, pack, sign, verify, inspect,
 * test — implemented in `../ext.ts`) and `publish` to a registry (`../publish.ts`).
 */
import { addHelpCommand, type Vib3Command } from '../command.js';
import * as ext from '../ext.js';
import { publish } from '../publish.js';
import { DEFAULT_PREVIEW_TARGETS, publishWithPreviews } from '../publish-previews.js';
import { CliError } from '../errors.js';
import { channelOption, registryOption, tokenOption } from './shared.js';
import { registerInstallCommands } from './ext-install.js';
import { registerComplianceCommand } from './ext-compliance.js';
import { registerPreviewsCommand } from './ext-previews.js';

type Opts = Record<string, string | boolean | undefined>;
const str = (o: Opts, key: string) => (typeof o[key] === 'string' ? (o[key] as string) : undefined);

/** Adds the `ext` command group to the program. */
export function registerExtCommands(program: Vib3Command): void {
  const group = program
    .command('ext')
    .summary('Create, build, lint, pack, sign, verify and publish extensions')
    .description('build, sign and publish VIB3 extensions')
    .usages('<subcommand> [arguments] [options]');
  group.addHelpText(
    'after',
    [
      '',
      "Examples (a publisher's round trip):",
      '  vib3 ext create my-shape --template geometry',
      '  vib3 ext keygen --set my-shape',
      '  vib3 ext build my-shape && vib3 ext lint my-shape',
      '  vib3 ext pack my-shape -o my-shape.vib3x',
      '  vib3 ext sign my-shape.vib3x --key .keys/publisher.private.jwk',
      '  vib3 ext verify my-shape.vib3x --trust .keys/publisher.public.jwk',
      '  vib3 ext publish my-shape.vib3x --registry http://127.0.0.1:4873 --channel stable',
      '',
      'Run "vib3 ext <subcommand> --help" for its arguments and options.',
    ].join('\n'),
  );

  group
    .command('create')
    .description('Scaffold a new extension project from a template')
    .argument('<name>', 'Extension name: lowercase letters, digits and dashes, 2-41 characters, starting with a letter (e.g. my-shape).')
    .option('-t, --template <template>', `Required. One of: ${ext.TEMPLATES.join(', ')}.`)
    .option('--dir <folder>', 'Folder to create (default: ./<name>); must not exist or be empty.')
    .option('--id <id>', 'Extension id in reverse-DNS form (default: com.example.<name>).')
    .option('--publisher <name>', 'Publisher name written into extension.json (default: "Example Publisher").')
    .usages('<name> --template <template> [--dir <folder>] [--id <id>] [--publisher <name>]')
    .whenMissing('name', 'MISSING_NAME', 'ext create needs the extension\'s name, e.g. "vib3 ext create my-shape --template geometry".')
    .requires('template', 'MISSING_TEMPLATE', `ext create needs --template <template>, one of: ${ext.TEMPLATES.join(', ')}.`)
    .examples('vib3 ext create my-shape --template geometry', 'vib3 ext create acme-tools --template toolpack --id com.acme.tools --publisher "ACME"')
    .run<Opts>(({ io, args: [name], opts }) => {
      ext.create(io, name!, str(opts, 'template')!, { dir: str(opts, 'dir'), id: str(opts, 'id'), publisher: str(opts, 'publisher') });
    });

  group
    .command('build')
    .description("Bundle the extension's worker with esbuild, write its tool pack (toolpack.json at entrypoints.toolPack) and its SBOM")
    .argument('[dir]', 'Extension folder containing extension.json (default: the current folder).')
    .usages('[<dir>]')
    .examples('vib3 ext build', 'vib3 ext build extensions/duoprism')
    .run(async ({ io, args: [dir] }) => {
      await ext.build(io, dir);
    });

  group
    .command('lint')
    .description('Check extension.json and its tool pack: every problem with its pointer, code and a suggestion')
    .argument('[path]', 'Extension folder or its extension.json (default: the current folder).')
    .option('--json', 'Print the result as JSON.')
    .option('--report <folder>', 'Lint every manifest in a folder and print the share that passes.')
    .usages('[<dir> | <extension.json>] [--json]', '--report <folder>')
    .examples('vib3 ext lint', 'vib3 ext lint my-shape/extension.json --json', 'vib3 ext lint --report manifests/')
    .run<Opts>(({ io, args: [target], opts }) => {
      const folder = str(opts, 'report');
      if (folder) {
        const r = ext.report(io, folder);
        return r.passed === r.total ? 0 : 1;
      }
      return ext.lint(io, target, { json: opts['json'] === true }) ? 0 : 1;
    });

  group
    .command('keygen')
    .description('Create an Ed25519 publisher key pair')
    .option('-o, --out <folder>', 'Where to write the keys (default: .keys).')
    .option('--name <name>', 'File name prefix: <name>.private.jwk and <name>.public.jwk (default: publisher).')
    .option('--set <dir>', 'Also write the new keyId into <dir>/extension.json (publisher.keyId).')
    .usages('[--out <folder>] [--name <name>] [--set <dir>]')
    .examples('vib3 ext keygen --set .', 'vib3 ext keygen --out ~/.vib3-keys --name acme')
    .run<Opts>(async ({ io, opts }) => {
      await ext.keygen(io, { out: str(opts, 'out'), name: str(opts, 'name'), set: str(opts, 'set') });
    });

  group
    .command('pack')
    .description('Lint, then write an unsigned package (<id>-<version>.vib3x)')
    .argument('[dir]', 'Built extension folder (default: the current folder).')
    .option('-o, --out <file.vib3x>', 'Package file to write (default: <dir>/<id>-<version>.vib3x).')
    .usages('[<dir>] [-o <file.vib3x>]')
    .examples('vib3 ext pack -o package.vib3x', 'vib3 ext pack my-shape -o my-shape.vib3x')
    .run<Opts>(async ({ io, args: [dir], opts }) => {
      await ext.pack(io, dir, { out: str(opts, 'out') });
    });

  group
    .command('sign')
    .description("Sign a package with a publisher's private key")
    .argument('<file.vib3x>', 'The package to sign (from vib3 ext pack).')
    .option('-k, --key <private.jwk>', 'Required. The private key from vib3 ext keygen.')
    .option('-o, --out <out.vib3x>', 'Write the signed package here (default: replace the input).')
    .option('--builder-id <uri>', 'The builder recorded in the provenance (runDetails.builder.id), e.g. your CI\'s builder id (default: https://vib3.dev/builders/local-cli/v1).')
    .option('--source-dir <dir>', 'The git work tree the package was built from, recorded as the provenance\'s source commit (default: the package\'s folder).')
    .option('--no-provenance', 'Sign without adding the provenance statement (provenance.intoto.json).')
    .usages('<file.vib3x> --key <private.jwk> [-o <out.vib3x>] [--builder-id <uri>] [--source-dir <dir>] [--no-provenance]')
    .whenMissing('file.vib3x', 'MISSING_PACKAGE', 'ext sign needs the package file, e.g. "vib3 ext sign package.vib3x --key .keys/publisher.private.jwk".')
    .requires('key', 'MISSING_OPTION', 'ext sign needs --key <private.jwk>.')
    .examples('vib3 ext sign package.vib3x --key .keys/publisher.private.jwk', 'vib3 ext sign package.vib3x --key "$KEY_FILE" --builder-id https://ci.example.com/builders/release')
    .run<Opts>(async ({ io, args: [file], opts }) => {
      const builderId = str(opts, 'builderId');
      const sourceDir = str(opts, 'sourceDir');
      await ext.sign(io, file!, { key: str(opts, 'key'), out: str(opts, 'out'), provenance: opts['provenance'] !== false, ...(builderId ? { builderId } : {}), ...(sourceDir ? { sourceDir } : {}) });
    });

  group
    .command('verify')
    .description("Verify a package's signature and integrity against trusted keys")
    .argument('<file.vib3x>', 'The signed package.')
    .option('--trust <public.jwk | folder>', 'Required. A public key, or a folder of .jwk files.')
    .option('--provenance', 'Also require the SBOM (matching the shipped code) and a provenance statement signed by a trusted key over every file.')
    .option('--allowed-builder <id...>', 'With --provenance: builder ids to accept (exact, or a prefix ending in *).')
    .option('--json', 'Print the result as JSON.')
    .usages('<file.vib3x> --trust <public.jwk | folder> [--provenance [--allowed-builder <id>...]] [--json]')
    .whenMissing('file.vib3x', 'MISSING_PACKAGE', 'ext verify needs the package file, e.g. "vib3 ext verify package.vib3x --trust .keys/publisher.public.jwk".')
    .requires('trust', 'MISSING_OPTION', 'ext verify needs --trust <public.jwk or folder>.')
    .examples('vib3 ext verify package.vib3x --trust .keys/publisher.public.jwk', 'vib3 ext verify package.vib3x --trust .keys/publisher.public.jwk --provenance --allowed-builder "https://ci.example.com/*"')
    .run<Opts>(async ({ io, args: [file], opts, json }) => {
      const builders = opts['allowedBuilder'] as unknown as string[] | undefined;
      return (await ext.verify(io, file!, { trust: str(opts, 'trust'), json, provenance: opts['provenance'] === true, ...(builders?.length ? { allowedBuilders: builders } : {}) })) ? 0 : 1;
    });

  group
    .command('inspect')
    .description('List the files in a package')
    .argument('<file.vib3x>', 'The package to list.')
    .usages('<file.vib3x>')
    .whenMissing('file.vib3x', 'MISSING_PACKAGE', 'ext inspect needs the package file, e.g. "vib3 ext inspect package.vib3x".')
    .examples('vib3 ext inspect dev.vib3.duoprism-1.0.1.vib3x')
    .run(({ io, args: [file] }) => {
      ext.inspect(io, file!);
    });

  group
    .command('test')
    .description("Run the extension's own tests (node --test test/)")
    .argument('[dir]', 'Extension folder with a test/ folder (default: the current folder).')
    .usages('[<dir>]')
    .examples('vib3 ext test', 'vib3 ext test extensions/duoprism')
    .run(({ io, args: [dir] }) => (ext.test(io, dir) ? 0 : 1));

  const pub = group
    .command('publish')
    .description('Upload a signed package to a registry (and optionally move a channel to it)')
    .argument('<pkg.vib3x>', 'The signed package (from vib3 ext sign).');
  registryOption(pub);
  tokenOption(pub, 'The publisher API token (default: the token vib3 login stored for the registry).');
  channelOption(pub, 'Then point this channel of the extension at the new version.');
  pub
    .option('--previews', 'Then render the listing images (as vib3 ext previews) and upload them (as vib3 listing upload).')
    .option('--previews-targets <list>', `With --previews: comma-separated targets to render (default ${DEFAULT_PREVIEW_TARGETS}), or all.`)
    .option('--json', 'Print one JSON result: { ok, id, version, integrity, url, …, previews? }.')
    .usages('<pkg.vib3x> --registry <url> [--token <token>] [--channel <channel>] [--previews [--previews-targets <list>]] [--json]')
    .whenMissing('pkg.vib3x', 'MISSING_PACKAGE', 'ext publish needs the signed package file, e.g. "vib3 ext publish my-shape.vib3x --registry http://127.0.0.1:4873".')
    .examples(
      'vib3 ext publish my-shape.vib3x --registry http://127.0.0.1:4873',
      'VIB3_REGISTRY_TOKEN=vib3_… vib3 ext publish my-shape.vib3x --registry https://registry.example.com --channel beta --json',
      'vib3 ext publish my-shape.vib3x --registry http://127.0.0.1:4873 --previews --previews-targets registry,wordpress',
    )
    .run<Opts>(async ({ io, args: [file], opts, json }) => {
      const base = { registry: str(opts, 'registry')!, token: str(opts, 'token'), channel: str(opts, 'channel'), json };
      const targets = str(opts, 'previewsTargets');
      if (targets !== undefined && opts['previews'] !== true) throw new CliError('--previews-targets chooses what --previews renders.', 2, 'PREVIEWS_TARGETS_WITHOUT_PREVIEWS', 'Add --previews, or leave out --previews-targets.');
      if (opts['previews'] === true) await publishWithPreviews(io, file!, { ...base, ...(targets ? { previewsTargets: targets } : {}) });
      else await publish(io, file!, base);
    });

  registerInstallCommands(group);
  registerComplianceCommand(group);
  registerPreviewsCommand(group);
  addHelpCommand(group);
}
