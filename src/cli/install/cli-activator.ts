/**
 * Consent and activation for `vib3 ext install|update|channel|rollback`: the committed state of
 * the install directory is the activation; consent is `--yes`, or a y/N question on a terminal.
 * Without either, anything not granted before is refused (CONSENT_DENIED), so scripts never hang.
 */
import { createInterface } from 'node:readline/promises';
import type { Vib3ExtensionManifest } from '../../extensions/manifest/manifest.generated.js';
import { notGranted, requestedGrant, type Activator } from '../../marketplace/activator.js';
import { InstallerError } from '../../marketplace/errors.js';
import type { GrantRecord } from '../../marketplace/store.js';

/** Asks on the terminal whether to grant `added` to `manifest`. */
async function ask(manifest: Vib3ExtensionManifest, added: string[]): Promise<boolean> {
  const caps = manifest.capabilities as Record<string, { reason?: string } | undefined>;
  process.stderr.write(`${manifest.name} (${manifest.id}@${manifest.version}) by ${manifest.publisher.name} asks for:\n`);
  for (const a of added) process.stderr.write(`  - ${a}${caps[a]?.reason ? `: ${caps[a]!.reason}` : ''}\n`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question('Grant? [y/N] ')).trim());
  } finally {
    rl.close();
  }
}

/** The CLI's {@link Activator}: `yes` grants without asking. */
export function cliActivator(yes: boolean, interactive = process.stdin.isTTY === true && process.stderr.isTTY === true): Activator {
  return {
    async consent(manifest, granted): Promise<GrantRecord> {
      const wanted = requestedGrant(manifest);
      const added = notGranted(granted, wanted);
      if (!added.length || yes) return wanted;
      if (interactive && (await ask(manifest, added))) return wanted;
      throw new InstallerError('CONSENT_DENIED', `${manifest.id}@${manifest.version} asks for ${added.join(', ')}, which ${interactive ? 'you did not grant' : 'needs consent'}.`, interactive ? 'Nothing changed. Run the command again to be asked again.' : 'Nothing changed. Pass --yes to grant what it asks for (read its capabilities first: vib3 ext inspect).', { requested: added });
    },
    async activate() {
      // The state commit that follows is the activation.
    },
    async remove() {
      // Removing the record from the state is the whole uninstall.
    },
  };
}
