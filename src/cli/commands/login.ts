/**
 * `vib3 login` / `vib3 logout`: check a registry API token (`GET /v1/whoami`) and store it for the
 * registry in the user's config folder (mode 0600), or forget it.
 */
import type { Vib3Command } from '../command.js';
import { removeToken, saveToken } from '../credentials.js';
import { readToken } from '../prompt.js';
import { RegistryClient } from '../registry-client.js';
import { registryOption } from './shared.js';

interface LoginOpts {
  registry: string;
  token?: string;
}

/** Adds `login` and `logout` to the program. */
export function registerLoginCommands(program: Vib3Command): void {
  const login = program.command('login').description("Check a registry API token and store it in the user's config folder");
  registryOption(login)
    .option('--token <token>', 'The API token (default: read from stdin when it is not a terminal, else prompted for without echo).')
    .option('--json', 'Print one JSON result: { ok, registry, publisher, admin, credentials }.')
    .usages('--registry <url> [--token <token>] [--json]')
    .addHelpText('after', '\nThe token is stored in $XDG_CONFIG_HOME/vib3/credentials.json (default ~/.config/vib3/credentials.json),\nmode 0600; vib3 ext publish, registry yank and registry verify --domain use it for that registry.')
    .examples('vib3 login --registry https://registry.example.com', 'echo "$VIB3_TOKEN" | vib3 login --registry http://127.0.0.1:4873 --json')
    .run<LoginOpts>(async ({ io, opts, json }) => {
      const client0 = new RegistryClient(opts.registry);
      const token = opts.token || (await readToken(client0.base));
      const client = new RegistryClient(client0.base, { token });
      const who = await client.whoami();
      const path = saveToken(client.base, token);
      if (json) io.out(JSON.stringify({ ok: true, registry: client.base, publisher: who.publisher, admin: who.admin, credentials: path }, null, 2));
      else io.out(`Logged in to ${client.base} as ${who.admin ? 'a registry admin' : `publisher ${who.publisher}`}; token stored in ${path}`);
    });

  const logout = program.command('logout').description('Forget the token stored for a registry');
  registryOption(logout)
    .option('--json', 'Print one JSON result: { ok, registry, removed }.')
    .usages('--registry <url> [--json]')
    .examples('vib3 logout --registry https://registry.example.com')
    .run<LoginOpts>(({ io, opts, json }) => {
      const base = new RegistryClient(opts.registry).base;
      const removed = removeToken(base);
      if (json) io.out(JSON.stringify({ ok: true, registry: base, removed }, null, 2));
      else io.out(removed ? `Logged out of ${base}.` : `No token was stored for ${base}.`);
    });
}
