// <vib3-canvas> in React 19: props set element properties, on<event> props listen to its events.
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'vib3-embed';
import type {} from 'vib3-embed/react';
import type { Vib3System } from 'vib3-embed';

function App() {
  const [hue, setHue] = useState(120);
  const [system, setSystem] = useState<Vib3System>('quantum');
  const [backend, setBackend] = useState('starting');
  return (
    <main>
      <h1>VIB3 in React</h1>
      <vib3-canvas id="v" loading="eager" hue={hue} system={system} geometry={9} alt="VIB3 visual driven by React state" onvib3-ready={(e) => setBackend(e.detail.backend)} />
      <div className="controls">
        <button type="button" id="hue" onClick={() => setHue((h) => (h + 60) % 360)}>Hue {hue}°</button>
        <label>System <select id="system" value={system} onChange={(e) => setSystem(e.target.value as Vib3System)}>
          <option value="faceted">Faceted</option><option value="quantum">Quantum</option><option value="holographic">Holographic</option>
        </select></label>
        <output id="backend">{backend}</output>
      </div>
    </main>
  );
}

createRoot(document.getElementById('app')!).render(<StrictMode><App /></StrictMode>);
