// Signing helpers the registry tests use (re-exported from the kit's browser-safe signing code).
export { signEd25519 } from '../../src/extensions/signing/ed25519.js';
export { toBase64Url, utf8 } from '../../src/extensions/signing/encoding.js';
