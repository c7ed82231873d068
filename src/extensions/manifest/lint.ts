import type { Vib3ExtensionManifest } from './manifest.generated.js';
import type { ManifestProblem } from './problems.js';
import { problem, validateManifest, type ManifestValidation } from './validate.js';
import minVersion from 'semver/ranges/min-version.js';
import Range from 'semver/classes/range.js';

/** More origins than this is flagged as a broad network scope. */
export const BROAD_SCOPE_ORIGINS = 5;

/** Validation plus best-practice warnings. Errors block install; warnings do not. */
export function lintManifest(input: unknown): ManifestValidation {
  const result = validateManifest(input);
  if (!result.manifest) return result;
  const warnings = bestPractice(result.manifest);
  if (result.sourceVersion !== undefined && result.sourceVersion < 2) {
    warnings.push(problem('MIGRATED', '/manifestVersion', `manifestVersion ${result.sourceVersion} was migrated to 2 for loading.`, 'warning', 'Rewrite the file in the current format (see docs/EXTENSIONS.md).'));
  }
  return { ...result, problems: [...result.problems, ...warnings] };
}

function bestPractice(m: Vib3ExtensionManifest): ManifestProblem[] {
  const out: ManifestProblem[] = [];
  if (!m.description) out.push(problem('MISSING_DESCRIPTION', '/description', 'There is no description.', 'warning', 'Add a one-paragraph description of what the extension does.'));
  if (!m.marketplace) {
    out.push(problem('MISSING_MARKETPLACE', '/marketplace', 'There is no marketplace listing block.', 'warning', 'Add marketplace { title, summary, categories, pricing, previews } so registries can list it.'));
  } else if (!m.marketplace.previews || m.marketplace.previews.length === 0) {
    out.push(problem('MISSING_PREVIEWS', '/marketplace/previews', 'The listing has no preview images.', 'warning', 'Add at least one preview image (with alt text) to marketplace.previews.'));
  }
  const origins = m.capabilities.network?.origins ?? [];
  origins.forEach((origin, i) => {
    const pointer = `/capabilities/network/origins/${i}`;
    const host = origin.replace(/^https?:\/\//, '').replace(/:\d+$/, '');
    if (host === 'localhost' || host.startsWith('127.') || host === '[::1]') {
      out.push(problem('LOCALHOST_ORIGIN', pointer, `${origin} points at the user's own machine.`, 'warning', 'Remove loopback origins before publishing; they only work on a developer machine.'));
    } else if (origin.startsWith('http://')) {
      out.push(problem('INSECURE_ORIGIN', pointer, `${origin} is not HTTPS.`, 'warning', 'Use https:// so traffic cannot be read or altered in transit.'));
    }
  });
  if (origins.length > BROAD_SCOPE_ORIGINS) {
    out.push(problem('BROAD_NETWORK_SCOPE', '/capabilities/network/origins', `${origins.length} network origins requested.`, 'warning', `Request only the origins the extension needs (more than ${BROAD_SCOPE_ORIGINS} makes users hesitate to consent).`));
  }
  try {
    const range = new Range(m.compatibility.core);
    const open = range.set.some((comparators) => !comparators.some((c) => c.operator === '<' || c.operator === '<=' || (c.operator === '' && c.value !== '')));
    if (open || minVersion(m.compatibility.core) === null) {
      out.push(problem('OPEN_ENDED_RANGE', '/compatibility/core', `"${m.compatibility.core}" has no upper bound.`, 'warning', 'Bound the range (e.g. "^0.1.0") so a future major version of the kit does not load an untested extension.'));
    }
  } catch {
    /* invalid ranges are reported by validation */
  }
  return out;
}
