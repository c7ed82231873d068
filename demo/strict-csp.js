// Records CSP violations and reports which backend each canvas runs on.
// The page's own probe below (an eval that the policy must refuse) is recorded apart, in
// window.cspProbe: it proves the policy is enforced and is not a violation by the kit.
const probeSource = document.currentScript?.src ?? new URL('./strict-csp.js', location.href).href;
window.cspViolations = [];
window.cspProbe = [];
const status = document.getElementById('status');
let backends;
const showStatus = () => {
  if (backends) status.textContent = `rendering: ${backends.join(', ')}; CSP violations: ${window.cspViolations.length}`;
};
document.addEventListener('securitypolicyviolation', (e) => {
  const entry = `${e.violatedDirective} ${e.blockedURI}`;
  if (e.blockedURI === 'eval' && e.sourceFile === probeSource && window.cspProbe.length === 0) window.cspProbe.push(entry);
  else window.cspViolations.push(entry);
  showStatus();
});
// Proof that the policy is live on this page: eval-like code must be refused.
window.evalBlocked = (() => {
  try {
    return new Function('return false')();
  } catch {
    return true;
  }
})();
const canvases = [...document.querySelectorAll('vib3-canvas')];
Promise.all(canvases.map((c) => new Promise((resolve) => {
  if (c.activeBackend !== 'none') resolve(c.activeBackend);
  c.addEventListener('vib3-ready', (e) => resolve(e.detail.backend), { once: true });
  c.addEventListener('vib3-error', (e) => resolve(`error ${e.detail.code}`), { once: true });
}))).then((result) => {
  backends = result;
  showStatus();
});
