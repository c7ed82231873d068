import { css } from 'lit';

/** Shadow styles of `<vib3-canvas>`: canvas, poster layer (cross-faded on the first frame) and fallback slot. */
export const vib3CanvasStyles = css`
  :host {
    display: inline-block;
    position: relative;
    width: 300px;
    height: 150px;
    overflow: hidden;
    contain: content;
    background: var(--vib3-background, #000);
  }
  :host([hidden]) {
    display: none;
  }
  canvas {
    display: block;
    width: 100%;
    height: 100%;
  }
  .fallback {
    position: absolute;
    inset: 0;
    display: none;
    align-items: center;
    justify-content: center;
    padding: 0.5em;
    box-sizing: border-box;
    color: var(--vib3-fallback-color, #ccc);
    font: 13px/1.4 system-ui, sans-serif;
    text-align: center;
  }
  :host([data-fallback]) .fallback {
    display: flex;
  }
  .poster {
    position: absolute;
    inset: 0;
    pointer-events: none;
    opacity: 1;
    transition: opacity var(--vib3-motion-duration-slow, 400ms) var(--vib3-motion-easing-standard, ease);
  }
  .poster img,
  .poster ::slotted(*) {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
  :host([data-live]) .poster {
    opacity: 0;
  }
  :host([data-reduced-motion]) .poster {
    transition: none;
  }
  :host([data-fallback]) canvas {
    visibility: hidden;
  }
`;
