/**
 * Which partners a registry process syncs to, and the adapter that speaks to each: the
 * `--sync <partner>=<url>[,token=…][,rate=N][,<key>=<value>…]` specs of `vib3 registry serve` and
 * `vib3 registry sync-worker` (or `VIB3_SYNC`, specs separated by `;`), the built-in adapters by
 * target, and adapters from an operator's module (`--adapter-module FILE`).
 *
 * Built-in adapters live in `./adapters/` (one module per target) and are listed in
 * {@link BUILTIN_ADAPTERS}; a partner without one needs an adapter from a module.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { PartnerAdapter, PartnerConfig } from '../../listings/partners/adapter.js';
import { RegistryError } from '../errors.js';

/** One partner connection of a process. */
export interface PartnerSetting {
  /** The partner's name in the outbox (`npm`, `wordpress`, `mcp-registry`, …): lowercase, digits, dashes. */
  partner: string;
  /** `false` (`--sync <partner>=off`): no more outbox rows are written for it. */
  enabled: boolean;
  /** Pushes per minute to this partner, shared by every process (default 60). */
  ratePerMinute: number;
  /** What its adapter is given (url, token, and any other `key=value` of the spec). */
  config: PartnerConfig;
}

/** A way to make the adapter of a partner. */
export type AdapterFactory = (setting: PartnerSetting) => PartnerAdapter | Promise<PartnerAdapter>;

/** The push adapter of a built-in target, its module loaded on first use (processes without sync never load it). */
const builtin =
  (target: 'npm' | 'wordpress' | 'mcp-registry'): AdapterFactory =>
  async (setting) =>
    (await import('./adapters/index.js')).createPartnerAdapter(target, setting.config);

/**
 * Adapters shipped with the registry, by partner name (`./adapters/`): `npm` (an npm registry's
 * HTTP API: url, token, scope), `wordpress` (a plugin's Subversion repository: url, username,
 * token, slug, contributors, requiresAtLeast, testedUpTo) and `mcp-registry` (the MCP Registry's v0
 * API: url, token, namespace, scope, remoteUrl). Each loads its module lazily.
 */
export const BUILTIN_ADAPTERS: Record<string, AdapterFactory> = {
  npm: builtin('npm'),
  wordpress: builtin('wordpress'),
  'mcp-registry': builtin('mcp-registry'),
};

const NAME = /^[a-z][a-z0-9-]{0,31}$/;
const invalid = (spec: string, why: string) =>
  new RegistryError(400, 'INVALID_SYNC_SPEC', `--sync ${JSON.stringify(spec.replace(/token=[^,]*/g, 'token=***'))}: ${why}`, 'Write --sync <partner>=<url>[,token=<token>|token=env:<VAR>][,rate=<per minute>][,<key>=<value>…], or --sync <partner>=off.');

/**
 * Parses one `--sync` spec. `token=env:NAME` reads the token from the environment variable NAME
 * (keeps it out of process listings); `rate=N` sets pushes per minute; `off` disables the partner.
 *
 * @throws RegistryError 400 `INVALID_SYNC_SPEC`.
 */
export function parseSyncSpec(spec: string, env: Record<string, string | undefined> = process.env): PartnerSetting {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw invalid(spec, 'expected <partner>=<url>');
  const partner = spec.slice(0, eq).trim();
  if (!NAME.test(partner)) throw invalid(spec, `${JSON.stringify(partner)} is not a partner name (lowercase letters, digits, dashes)`);
  const [first = '', ...rest] = spec.slice(eq + 1).split(',');
  if (first.trim() === 'off') return { partner, enabled: false, ratePerMinute: 60, config: { url: '' } };
  let url: URL;
  try {
    url = new URL(first.trim());
  } catch {
    throw invalid(spec, `${JSON.stringify(first)} is not a URL`);
  }
  const config: PartnerConfig = { url: url.toString().replace(/\/$/, '') };
  let ratePerMinute = 60;
  for (const pair of rest) {
    const at = pair.indexOf('=');
    if (at <= 0) throw invalid(spec, `${JSON.stringify(pair)} is not <key>=<value>`);
    const key = pair.slice(0, at).trim();
    let value = pair.slice(at + 1).trim();
    if (value.startsWith('env:')) {
      const name = value.slice(4);
      value = env[name] ?? '';
      if (!value) throw invalid(spec, `the environment variable ${name} is not set`);
    }
    if (key === 'rate') {
      ratePerMinute = Number(value);
      if (!Number.isInteger(ratePerMinute) || ratePerMinute < 1 || ratePerMinute > 1_000_000) throw invalid(spec, 'rate must be a whole number of pushes per minute, 1-1000000');
    } else config[key] = value;
  }
  return { partner, enabled: true, ratePerMinute, config };
}

/** Every spec of `--sync` flags plus `VIB3_SYNC` (`;`-separated); a later spec of the same partner wins. */
export function parseSyncSpecs(flags: readonly string[] = [], env: Record<string, string | undefined> = process.env): PartnerSetting[] {
  const fromEnv = (env.VIB3_SYNC ?? '').split(';').map((s) => s.trim()).filter(Boolean);
  const byName = new Map<string, PartnerSetting>();
  for (const spec of [...fromEnv, ...flags]) {
    const setting = parseSyncSpec(spec, env);
    byName.set(setting.partner, setting);
  }
  return [...byName.values()];
}

/**
 * Loads adapter factories from an ES module: its `default` (or `adapters`) export maps partner
 * names to a {@link PartnerAdapter} or an {@link AdapterFactory}.
 *
 * @throws RegistryError 400 `ADAPTER_MODULE_INVALID`.
 */
export async function loadAdapterModule(file: string): Promise<Record<string, AdapterFactory>> {
  const mod = (await import(pathToFileURL(resolve(file)).href)) as { default?: unknown; adapters?: unknown };
  const table = (mod.adapters ?? mod.default) as Record<string, unknown> | undefined;
  if (!table || typeof table !== 'object') {
    throw new RegistryError(400, 'ADAPTER_MODULE_INVALID', `${file} exports no adapters.`, 'Export default { <partner>: (setting) => PartnerAdapter } (or a named `adapters`).');
  }
  const out: Record<string, AdapterFactory> = {};
  for (const [name, entry] of Object.entries(table)) {
    if (typeof entry === 'function') out[name] = entry as AdapterFactory;
    else if (entry && typeof (entry as PartnerAdapter).push === 'function') out[name] = () => entry as PartnerAdapter;
  }
  return out;
}

/** A partner's adapter with its setting. */
export interface PartnerLink {
  setting: PartnerSetting;
  adapter: PartnerAdapter;
}

/**
 * The adapters of every enabled partner in `settings`: from `extra` (a module's or a test's), else
 * built in.
 *
 * @throws RegistryError 400 `UNKNOWN_PARTNER` for a partner without an adapter.
 */
export async function resolveAdapters(settings: readonly PartnerSetting[], extra: Record<string, AdapterFactory> = {}): Promise<Map<string, PartnerLink>> {
  const links = new Map<string, PartnerLink>();
  for (const setting of settings) {
    if (!setting.enabled) continue;
    const factory = extra[setting.partner] ?? BUILTIN_ADAPTERS[setting.partner];
    if (!factory) {
      const known = [...new Set([...Object.keys(BUILTIN_ADAPTERS), ...Object.keys(extra)])];
      throw new RegistryError(400, 'UNKNOWN_PARTNER', `No sync adapter for the partner ${setting.partner}.`, known.length ? `Use one of ${known.join(', ')}, or load one with --adapter-module.` : 'Load its adapter with --adapter-module <file>.');
    }
    links.set(setting.partner, { setting, adapter: await factory(setting) });
  }
  return links;
}
