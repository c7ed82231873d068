// Runs the kernel bench inside a module worker; the result lands in window.geometryBenchDone.
const ms = Number(new URLSearchParams(location.search).get('ms') || 300);
const worker = new Worker(new URL('./geometry-bench-worker.js', import.meta.url), { type: 'module' });
worker.onmessage = (e) => (window.geometryBenchDone = e.data);
worker.onerror = (e) => (window.geometryBenchDone = { error: e.message });
worker.postMessage({ ms });
