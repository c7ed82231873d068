/**
 * Supply chain, browser-safe half: DSSE envelopes, in-toto / SLSA provenance, SBOM checks against
 * shipped files, Subresource Integrity, and the extension package's supply-chain checks. The
 * node-only half (SBOM generation from bundler metafiles, the kit release) is in `./node/`.
 */
export * from './errors.js';
export * from './digest.js';
export * from './dsse.js';
export * from './statement.js';
export * from './provenance.js';
export * from './sbom-files.js';
export * from './extension-artifacts.js';
