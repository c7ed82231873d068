// The sandbox frame's only code (trusted, served by the host). It runs in an opaque-origin iframe
// (sandbox="allow-scripts"): it locks the frame down with the CSP the host computed (default-src
// 'none', connect-src = the granted origins), then starts the extension in a Worker and hands it
// the two message ports the host created. Extension code never runs in this document: a UI
// widget's UI is data the host sends on a third port, rendered here by trusted code (ui-render).
import { startUiRenderer } from './ui-render.js';

interface InitMessage {
  type: 'vib3-sandbox-init';
  csp: string;
  shim: string;
  code: string;
}

function onInit(event: MessageEvent): void {
  const data = event.data as InitMessage | undefined;
  if (event.source !== parent || data?.type !== 'vib3-sandbox-init' || event.ports.length < 2 || event.ports.length > 3) return;
  window.removeEventListener('message', onInit);
  // The policy applies to this document and, inherited, to the blob: worker created below.
  const meta = document.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = data.csp;
  document.head.append(meta);
  const blobUrl = (text: string) => URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
  try {
    const worker = new Worker(blobUrl(data.shim), { name: 'vib3-extension' });
    worker.addEventListener('error', (e) => parent.postMessage({ type: 'vib3-sandbox-error', message: e.message || 'the extension worker failed' }, '*'));
    const [toHost, toExtension, ui] = event.ports as unknown as [MessagePort, MessagePort, MessagePort | undefined];
    worker.postMessage({ codeUrl: blobUrl(data.code) }, [toHost, toExtension]);
    if (ui) startUiRenderer(ui);
    parent.postMessage({ type: 'vib3-sandbox-ready' }, '*');
  } catch (err) {
    parent.postMessage({ type: 'vib3-sandbox-error', message: String(err) }, '*');
  }
}

window.addEventListener('message', onInit);
parent.postMessage({ type: 'vib3-sandbox-loaded' }, '*');
