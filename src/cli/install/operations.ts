/**
 * The installer as the CLI runs it: an {@link InstallerEngine} over a {@link FileInstallStore} in
 * `--dir`, the CLI's consent, a progress bar for downloads, and errors as CLI errors with the
 * documented exit codes (docs/INSTALLER.md): 0 success, 1 a refused or failed operation, 2 usage,
 * 3 a security refusal (TUF, hashes, signatures, an altered cache).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InstallerEngine } from '../../marketplace/installer.js';
import { licenseGate } from '../../marketplace/license-gate.js';
import { RENDERER_CONTRACT_VERSION, type HostDescription } from '../../extensions/manifest/compatibility.js';
import { version } from '../version.js';
import { isInstallerError, type InstallerErrorCode } from '../../marketplace/errors.js';
import type { InstallProgressDetail } from '../../marketplace/types.js';
import { CliError } from '../errors.js';
import { createProgress, progressWanted, type Progress } from '../progress.js';
import { normalizeRegistryUrl } from '../registry-client.js';
import { cliActivator } from './cli-activator.js';
import { FileInstallStore } from './file-store.js';
import { FileAuditStore } from './file-audit-store.js';
import { AuditLog } from '../../marketplace/audit/index.js';

/** The default install directory (relative to the working directory). */
export const DEFAULT_DIR = 'vib3_extensions';

/** Codes that mean "do not trust this": exit code 3. */
const SECURITY_CODES = new Set<InstallerErrorCode>(['TUF_ROOT_INVALID', 'TUF_BAD_SIGNATURE', 'TUF_ROLLBACK', 'TUF_EXPIRED', 'TUF_MISMATCH', 'TUF_MALFORMED', 'TOO_LARGE', 'TARGET_MISMATCH', 'PACKAGE_SIGNATURE_INVALID', 'PACKAGE_MISMATCH', 'CACHE_CORRUPT', 'SBOM_INVALID', 'PROVENANCE_INVALID']);

/**
 * What a project install is checked against: this kit's version and renderer contract. Browser
 * features (WebGPU, audio, …) are the page's business: the page's host checks them again.
 */
const PROJECT_HOST: HostDescription = {
  coreVersion: version(),
  rendererContract: RENDERER_CONTRACT_VERSION,
  features: ['webgpu', 'webgl2', 'audio', 'pointer', 'offscreen-canvas', 'wasm-simd', 'shared-array-buffer'],
};

/** Options every install command takes. */
export interface InstallCommandOptions {
  dir?: string;
  registry?: string;
  trustRoot?: string;
  yes?: boolean;
  /** A license token for a paid extension, and the origin it must name. */
  license?: string;
  origin?: string;
  /** Supply-chain policy (docs/SUPPLY-CHAIN.md): refuse packages without an SBOM / provenance / from other builders. */
  requireSbom?: boolean;
  requireProvenance?: boolean;
  allowedBuilder?: string[];
  json: boolean;
}

/** An installer error as a CLI error with its exit code. */
export function asCliError(err: unknown): unknown {
  if (!isInstallerError(err)) return err;
  return new CliError(err.message, SECURITY_CODES.has(err.code) ? 3 : 1, err.code, err.suggestion, err.details);
}

/** Opens the installer of `--dir`: the registry is `--registry` or the one the directory remembers. */
export async function openInstaller(opts: InstallCommandOptions, command: string): Promise<{ engine: InstallerEngine; store: FileInstallStore; dir: string; finish: () => void }> {
  const dir = resolve(opts.dir ?? DEFAULT_DIR);
  const store = new FileInstallStore(dir);
  const state = await store.readState().catch((err: unknown) => {
    throw asCliError(err);
  });
  const registry = opts.registry ? normalizeRegistryUrl(opts.registry) : state?.registry;
  if (!registry) throw new CliError(`${dir} has nothing installed yet, so ${command} needs --registry <url>.`, 2, 'MISSING_REGISTRY', `Run "vib3 ext install <id> --registry <url> --dir ${opts.dir ?? DEFAULT_DIR}" first.`);
  let trustedRoot: Uint8Array | undefined;
  if (opts.trustRoot) trustedRoot = new Uint8Array(readFileSync(opts.trustRoot));
  // Paid extensions need --license and --origin (the site the project is deployed on).
  if (opts.license && !opts.origin) throw new CliError('--license needs --origin <origin>: the site the license must name.', 2, 'MISSING_ORIGIN', `Run "vib3 ${command} --help" for usage.`);
  const license = licenseGate({
    origin: opts.origin ?? 'http://localhost',
    tokenFor: () => opts.license,
  });
  // Every operation is recorded in DIR/audit.jsonl (vib3 audit verify checks it).
  const audit = new AuditLog(new FileAuditStore(dir));
  const supplyChain = { requireSbom: opts.requireSbom === true, requireProvenance: opts.requireProvenance === true, ...(opts.allowedBuilder?.length ? { allowedBuilders: opts.allowedBuilder } : {}) };
  const engine = new InstallerEngine({ registry, store, activator: cliActivator(opts.yes === true), compatibility: PROJECT_HOST, license, audit, supplyChain, ...(trustedRoot ? { trustedRoot } : {}) });
  let bar: Progress | undefined;
  const onProgress = (e: Event) => {
    const d = (e as CustomEvent<InstallProgressDetail>).detail;
    if (d.phase === 'download' && progressWanted(opts.json)) {
      bar ??= createProgress({ label: `download ${d.id}@${d.version}`, total: d.total ?? 0 });
      bar.update(d.loaded ?? 0);
    } else if (bar && d.phase !== 'download') {
      bar.stop();
      bar = undefined;
    }
  };
  engine.addEventListener('vib3-install-progress', onProgress);
  return { engine, store, dir, finish: () => bar?.stop() };
}
