/**
 * The `vib3` command line (node-only; never part of the browser bundle).
 *
 *   vib3 ext create <name> --template renderer|geometry|toolpack|ui-widget [--dir D] [--id com.x.y] [--publisher "Name"]
 *   vib3 ext build [dir]
 *   vib3 ext lint [dir|extension.json] [--json]      vib3 ext lint --report <folder>
 *   vib3 ext keygen [--out .keys] [--name publisher] [--set <extension dir>]
 *   vib3 ext pack [dir] [-o file.vib3x]
 *   vib3 ext sign <file.vib3x> --key <private.jwk> [-o out.vib3x]
 *   vib3 ext verify <file.vib3x> --trust <public.jwk|folder> [--json]
 *   vib3 ext inspect <file.vib3x>
 *   vib3 ext test [dir]
 */
import * as ext from './ext.js';

const USAGE = `usage: vib3 ext <create|build|lint|keygen|pack|sign|verify|inspect|test> ...  (vib3 --help)`;

function parse(argv: string[]): { positional: string[]; flags: Record<string, string | true> } {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--') || a === '-o') {
      const key = a === '-o' ? 'out' : a.slice(2);
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('-')) {
        flags[key] = next;
        i++;
      } else flags[key] = true;
    } else positional.push(a);
  }
  return { positional, flags };
}

export async function main(argv: string[], io: ext.Io = { out: (l) => console.log(l), err: (l) => console.error(l) }): Promise<number> {
  const { positional, flags } = parse(argv);
  const str = (k: string) => (typeof flags[k] === 'string' ? (flags[k] as string) : undefined);
  if (flags['help'] || positional.length === 0) {
    io.out(USAGE);
    return positional.length === 0 && !flags['help'] ? 2 : 0;
  }
  const [group, command, ...rest] = positional;
  try {
    if (group !== 'ext') throw new ext.CliError(USAGE, 2);
    switch (command) {
      case 'create':
        ext.create(io, rest[0] ?? '', str('template') ?? '', { dir: str('dir'), id: str('id'), publisher: str('publisher') });
        return 0;
      case 'build':
        await ext.build(io, rest[0]);
        return 0;
      case 'lint':
        if (str('report')) {
          const r = ext.report(io, str('report')!);
          return r.passed === r.total ? 0 : 1;
        }
        return ext.lint(io, rest[0], { json: flags['json'] === true }) ? 0 : 1;
      case 'keygen':
        await ext.keygen(io, { out: str('out'), name: str('name'), set: str('set') });
        return 0;
      case 'pack':
        ext.pack(io, rest[0], { out: str('out') });
        return 0;
      case 'sign':
        await ext.sign(io, rest[0] ?? '', { key: str('key'), out: str('out') });
        return 0;
      case 'verify':
        return (await ext.verify(io, rest[0] ?? '', { trust: str('trust'), json: flags['json'] === true })) ? 0 : 1;
      case 'inspect':
        ext.inspect(io, rest[0] ?? '');
        return 0;
      case 'test':
        return ext.test(io, rest[0]) ? 0 : 1;
      default:
        throw new ext.CliError(USAGE, 2);
    }
  } catch (err) {
    if (err instanceof ext.CliError) {
      io.err(`vib3: ${err.message}`);
      return err.exitCode;
    }
    io.err(`vib3: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}
