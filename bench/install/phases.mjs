// Times one installer operation and its phases from the installer's own `vib3-install-progress`
// events (browser-safe: bench/install/page-entry.ts bundles it, the in-process engine runner
// imports it). A phase lasts from its first event to the next phase's first event (the last one to
// the end of the operation); `open` is the time before the first event (store lock, state read).

/** The phase groups a report shows, in order, with the installer phases each one sums. */
export const PHASE_GROUPS = {
  open: ['open'],
  refresh: ['refresh'],
  resolve: ['resolve'],
  download: ['download'],
  verify: ['verify', 'compatibility'],
  consent: ['consent', 'license'],
  activate: ['activate'],
  commit: ['commit', 'done'],
};

/**
 * Runs `fn()` (one operation of `installer`, an EventTarget) and resolves to
 * { ms, phases: { group: ms }, result }.
 */
export async function timed(installer, fn, now = () => performance.now()) {
  const marks = [];
  const on = (e) => {
    const { phase } = e.detail;
    if (marks.at(-1)?.phase !== phase) marks.push({ phase, t: now() });
  };
  installer.addEventListener('vib3-install-progress', on);
  const t0 = now();
  let result;
  try {
    result = await fn();
  } finally {
    installer.removeEventListener('vib3-install-progress', on);
  }
  const end = now();
  const raw = { open: (marks[0]?.t ?? end) - t0 };
  marks.forEach((m, i) => (raw[m.phase] = (raw[m.phase] ?? 0) + (marks[i + 1]?.t ?? end) - m.t));
  const phases = {};
  for (const [group, members] of Object.entries(PHASE_GROUPS)) {
    const sum = members.reduce((n, p) => n + (raw[p] ?? 0), 0);
    if (members.some((p) => p in raw)) phases[group] = sum;
  }
  return { ms: end - t0, phases, result };
}
