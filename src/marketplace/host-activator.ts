/**
 * Activation in a page: the extension host runs the installed version. Consent is asked here,
 * before the installer's license step, through the host's consent UI or policy; the host is then
 * told the user consented so it does not ask twice. A failed start restores the version that ran.
 */
import type { ExtensionHost } from '../extensions/runtime/host.js';
import { askConsent, pageDialogConsent, type ConsentPolicy } from '../extensions/runtime/consent.js';
import { InstallerError, isInstallerError } from './errors.js';
import semverLt from 'semver/functions/lt.js';
import { notGranted, requestedGrant, type Activator } from './activator.js';

const failure = (id: string, err: unknown) => {
  const e = err as { code?: string; message?: string };
  if (isInstallerError(err)) return err;
  if (e?.code === 'CONSENT_DENIED') return new InstallerError('CONSENT_DENIED', e.message ?? 'Consent was denied.', 'Install again to be asked again.', { id });
  if (e?.code === 'LICENSE_REQUIRED') return new InstallerError('LICENSE_REQUIRED', e.message ?? 'A license is required.', 'Add a license token for this extension.', { id });
  if (typeof e?.code === 'string' && e.code.startsWith('LICENSE_')) return new InstallerError('LICENSE_REFUSED', e.message ?? 'The license was refused.', 'Check the license token for this extension.', { id, reason: e.code });
  if (e?.code === 'INCOMPATIBLE') return new InstallerError('INCOMPATIBLE', e.message ?? 'Incompatible.', 'Choose a version built for this kit.', { id });
  return new InstallerError('ACTIVATE_FAILED', `${id} could not be started: ${e?.message ?? String(err)}`, 'The previous version keeps running. Check the extension error events, or roll back.', { id, ...(e?.code ? { reason: e.code } : {}) });
};

/** An {@link Activator} over an {@link ExtensionHost}; `consent` defaults to the page's `<vib3-consent-dialog>`. */
export function hostActivator(host: ExtensionHost, consent: ConsentPolicy = pageDialogConsent): Activator {
  const installed = (id: string) => host.list().some((e) => e.id === id);
  return {
    async consent(manifest, granted) {
      const wanted = requestedGrant(manifest);
      const added = notGranted(granted, wanted);
      if (!added.length) return wanted;
      if (!(await askConsent(consent, manifest, granted ? added : undefined))) {
        throw new InstallerError('CONSENT_DENIED', `The user did not grant what ${manifest.name} asks for (${added.join(', ')}).`, 'Nothing changed. Install again to be asked again.', { id: manifest.id, requested: added });
      }
      return wanted;
    },
    async activate(bytes, ctx) {
      const id = ctx.manifest.id;
      const opts = { keys: ctx.keys, consented: ctx.granted };
      if (!installed(id)) {
        try {
          await host.install(bytes, opts);
          await host.activate(id);
        } catch (err) {
          await host.uninstall(id).catch(() => undefined);
          throw failure(id, err);
        }
        return;
      }
      const running = host.list().find((e) => e.id === id);
      // Another tab of this page may have committed in between: the host already runs this version.
      if (running?.version === ctx.manifest.version) {
        if (running.state !== 'active') await host.activate(id).catch((err: unknown) => Promise.reject(failure(id, err)));
        return;
      }
      try {
        const { applied } = await host.update(bytes, { ...opts, downgrade: semverLt(ctx.manifest.version, running!.version) });
        if (!applied) throw new InstallerError('CONSENT_DENIED', `${id}@${ctx.manifest.version} waits for consent.`, 'Nothing changed. Update again to be asked again.', { id });
        if (host.list().find((e) => e.id === id)?.state !== 'active') await host.activate(id);
      } catch (err) {
        // Put the version that ran back (it was verified when it was installed).
        if (ctx.previous) {
          await host.update(ctx.previous.bytes, { keys: ctx.previous.keys, downgrade: true, consented: ctx.granted }).catch(() => undefined);
          await host.activate(id).catch(() => undefined);
        }
        throw failure(id, err);
      }
    },
    async remove(id) {
      await host.uninstall(id);
    },
  };
}
