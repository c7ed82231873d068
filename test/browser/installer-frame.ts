// The script of installer-frame.html: an install into the IndexedDB store named by the query,
// with a no-op activation (this page only has to hold the store mid-install when it goes away).
import { InstallerEngine, IndexedDbInstallStore, requestedGrant, type Activator } from '../../src/marketplace/index.js';

const q = new URLSearchParams(location.search);
const activator: Activator = { consent: async (m) => requestedGrant(m), activate: async () => undefined, remove: async () => undefined };
const engine = new InstallerEngine({ registry: q.get('registry')!, store: new IndexedDbInstallStore(q.get('store')!), activator, trustedRoot: q.get('root')! });
document.body.dataset['status'] = 'installing';
engine.install(q.get('id')!, { range: q.get('range')! }).then(
  () => (document.body.dataset['status'] = 'done'),
  (err: { code?: string; message?: string }) => (document.body.dataset['status'] = `error ${err.code ?? ''} ${err.message ?? ''}`),
);
