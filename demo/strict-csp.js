// Records CSP violations and reports which backend each canvas runs on.
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
// Proof that the policy is live on this page: eval-like code must be refused.
window.evalBlocked = (() => {
  try {
    return new Function('return false')();
  } catch {
    return true;
  }
})();
const status = document.getElementById('status');
const canvases = [...document.querySelectorAll('vib3-canvas')];
Promise.all(canvases.map((c) => new Promise((resolve) => {
  if (c.activeBackend !== 'none') resolve(c.activeBackend);
  c.addEventListener('vib3-ready', (e) => resolve(e.detail.backend), { once: true });
  c.addEventListener('vib3-error', (e) => resolve(`error ${e.detail.code}`), { once: true });
}))).then((backends) => {
  status.textContent = `rendering: ${backends.join(', ')}; CSP violations: ${window.cspViolations.length}`;
});
