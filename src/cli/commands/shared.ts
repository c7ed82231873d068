/**
 * Options several registry-facing commands share: `--registry`, `--token`, `--admin-token`,
 * `--channel`, and integer parsing with coded errors.
 */
import { Option } from 'commander';
import type { Vib3Command } from '../command.js';
import { CliError } from '../errors.js';
import { CHANNELS } from '../registry-client.js';

/** Adds `--registry <url>` (required by the command; checked after its arguments). */
export function registryOption(cmd: Vib3Command): Vib3Command {
  return cmd.option('--registry <url>', 'Required. The registry, e.g. http://127.0.0.1:4873.').requires('registry', 'MISSING_REGISTRY', `${cmd.relativePath()} needs --registry <url>.`);
}

/** Adds `--token <token>`, falling back to `$VIB3_REGISTRY_TOKEN`. */
export function tokenOption(cmd: Vib3Command, description: string): Vib3Command {
  return cmd.addOption(new Option('--token <token>', description).env('VIB3_REGISTRY_TOKEN'));
}

/** Adds `--admin-token <token>`, falling back to `$VIB3_ADMIN_TOKEN`. */
export function adminTokenOption(cmd: Vib3Command, description: string): Vib3Command {
  return cmd.addOption(new Option('--admin-token <token>', description).env('VIB3_ADMIN_TOKEN'));
}

/** Adds `--channel <stable|beta|canary>`. */
export function channelOption(cmd: Vib3Command, description: string): Vib3Command {
  return cmd.addOption(new Option('--channel <channel>', description).choices(CHANNELS));
}

/** A parser for an integer option within [min, max] (a coded usage error otherwise). */
export function integer(flag: string, min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new CliError(`${flag} must be an integer from ${min} to ${max}, not ${JSON.stringify(value)}.`, 2, 'INVALID_OPTION_VALUE', `Pass ${flag} <${min}..${max}>.`);
    }
    return n;
  };
}
