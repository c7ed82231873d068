// The sandbox frame's only code (trusted, served by the host). It runs in an opaque-origin iframe
// (sandbox="allow-scripts"): it locks the frame down with the CSP the host computed (default-src
// 'none', connect-src = the granted origins), then starts the extension in a Worker and relays
// between it and the two message ports the host created, within the host's limits. Extension code never runs in this document: a UI
// widget's UI is data the host sends on a third port, rendered here by trusted code (ui-render).
import { startUiRenderer } from './ui-render.js';
import { startRelay, type RelayLimits } from './relay.js';

interface InitMessage {
  type: 'vib3-sandbox-init';
  csp: string;
  shim: string;
  code: string;
  limits: RelayLimits;
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
    // The worker talks to this frame, which gates what reaches the page (relay.ts): whatever
    // the extension sends is decoded and measured in this frame's process, not the page's.
    const calls = new MessageChannel();
    const runtime = new MessageChannel();
    startRelay({ pageCalls: toHost, workerCalls: calls.port1, pageRuntime: toExtension, workerRuntime: runtime.port1 }, data.limits, {
      // On the runtime port: in order with the results the page is waiting for.
      onRefused: (notice) => toExtension.postMessage(notice),
      onFlood: () => {
        worker.terminate();
        parent.postMessage({ type: 'vib3-sandbox-flood' }, '*');
      },
    });
    worker.postMessage({ codeUrl: blobUrl(data.code) }, [calls.port2, runtime.port2]);
    if (ui) startUiRenderer(ui);
    parent.postMessage({ type: 'vib3-sandbox-ready' }, '*');
  } catch (err) {
    parent.postMessage({ type: 'vib3-sandbox-error', message: String(err) }, '*');
  }
}

window.addEventListener('message', onInit);
parent.postMessage({ type: 'vib3-sandbox-loaded' }, '*');
