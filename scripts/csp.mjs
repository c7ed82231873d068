/** The strictest policy the kit supports (README "Content Security Policy"); used by the demo server and tests. */
export const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; worker-src 'self'; img-src 'self' data: blob:";

/** Response headers for the static server: the strict CSP on the strict-CSP demo page. */
export const demoHeaders = (path) => (path.endsWith('/demo/strict-csp.html') ? { 'content-security-policy': STRICT_CSP } : {});
