// Renders the same widget once per registered theme pack (window.Vib3 from the script-tag build).
const { listThemePacks } = window.Vib3;
const main = document.getElementById('packs');
const template = document.getElementById('widget');
const consent = document.getElementById('consent');

listThemePacks().forEach((entry, i) => {
  const { pack } = entry;
  const theme = document.createElement('vib3-theme');
  theme.setAttribute('theme', pack.name);
  const card = template.content.firstElementChild.cloneNode(true);
  const id = `canvas-${pack.name}`;
  card.querySelector('.name').textContent = `${pack.label ?? pack.name} · v${pack.version}`;
  const canvas = card.querySelector('vib3-canvas');
  canvas.id = id;
  canvas.setAttribute('alt', `VIB3 visual in the ${pack.label ?? pack.name} theme`);
  card.querySelector('vib3-toolbar').setAttribute('for', id);
  const progress = card.querySelector('vib3-install-progress');
  progress.value = 20 + i * 20;
  card.querySelector('.ask').addEventListener('click', async () => {
    consent.setAttribute('theme', pack.name);
    consent.dataset.vib3Theme = pack.name;
    await consent.ask({
      extensionName: 'Duoprisms',
      publisher: 'VIB3 Reference Extensions',
      capabilities: [
        { name: 'geometry', reason: 'Adds duoprism meshes to the canvas mesh layer.' },
        { name: 'network', reason: 'Loads shape presets from the publisher.', origins: ['https://shapes.example.com'] },
      ],
    });
  });
  theme.append(card);
  main.append(theme);
});
