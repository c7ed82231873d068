/** The strictest policy the kit supports (README "Content Security Policy"); used by the demo server and tests. */
export const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; worker-src 'self'; img-src 'self' data: blob:";

/**
 * The agent demo's policy: the strict one, plus connections on loopback only: to an agent bridge
 * (`vib3 mcp --pair`, ws:) and to the registry whose LLM proxy the chat uses (`npm start`'s, http:).
 */
export const AGENT_CSP = `${STRICT_CSP}; connect-src 'self' ws://127.0.0.1:* ws://localhost:* http://127.0.0.1:* http://localhost:*`;

/** Response headers for the static server: the strict CSP on the strict-CSP and agent demo pages. */
export const demoHeaders = (path) =>
  path.endsWith('/demo/strict-csp.html') ? { 'content-security-policy': STRICT_CSP } : path.endsWith('/demo/agent.html') ? { 'content-security-policy': AGENT_CSP } : {};
