import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Vib3Error } from '../core/errors.js';
import { SILENT_AUDIO, type AudioBands } from '../render/frame-state.js';

/**
 * Reads bass / mid / high levels from a host-supplied AudioNode through an AnalyserNode in the
 * node's own AudioContext. No globals: nothing is created until a host hands in a node.
 * Given a lit host, it is that host's controller: the analyser is released when the host disconnects.
 */
export class AudioInput implements ReactiveController {
  private analyser: AnalyserNode | undefined;
  private source: AudioNode | undefined;
  private bins: Uint8Array<ArrayBuffer> | undefined;
  private assigned: AudioNode | null = null;

  constructor(owner?: ReactiveControllerHost) {
    owner?.addController(this);
  }

  hostDisconnected(): void {
    this.disconnect();
  }

  /** The node last assigned with {@link assign} (kept while the host is disconnected); null for none. */
  get node(): AudioNode | null {
    return this.assigned;
  }

  /** Assigns a node (or null) and connects it. Throws Vib3Error for anything that is not an AudioNode (the node is then none). */
  assign(node: AudioNode | null): void {
    try {
      this.connect(node);
      this.assigned = node ?? null;
    } catch (err) {
      this.assigned = null;
      throw err;
    }
  }

  /** Connects a node (or disconnects with null). Throws Vib3Error for anything that is not an AudioNode. */
  connect(node: AudioNode | null): void {
    this.disconnect();
    if (node === null || node === undefined) return;
    const ctx = (node as Partial<AudioNode>).context;
    if (typeof (node as Partial<AudioNode>).connect !== 'function' || !ctx || typeof ctx.createAnalyser !== 'function') {
      throw new Vib3Error('AUDIO_SOURCE_INVALID', 'audioSource must be a Web Audio AudioNode.', 'Pass e.g. audioContext.createMediaElementSource(audioElement), or null to turn audio off.');
    }
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 256;
    analyser.smoothingTimeConstant = 0.7;
    node.connect(analyser);
    this.analyser = analyser;
    this.source = node;
    this.bins = new Uint8Array(analyser.frequencyBinCount);
  }

  /** Disconnects only the analyser this input added; the host's graph is left as it was. */
  disconnect(): void {
    if (this.source && this.analyser) {
      try {
        this.source.disconnect(this.analyser);
      } catch {
        /* already disconnected */
      }
    }
    this.analyser = undefined;
    this.source = undefined;
    this.bins = undefined;
  }

  /** True while a node is connected. */
  get active(): boolean {
    return this.analyser !== undefined;
  }

  /** Current band levels (0..1): bass < 250 Hz, mid 250 Hz..2 kHz, high above. */
  read(): AudioBands {
    const analyser = this.analyser;
    const bins = this.bins;
    if (!analyser || !bins) return SILENT_AUDIO;
    analyser.getByteFrequencyData(bins);
    const hzPerBin = analyser.context.sampleRate / analyser.fftSize;
    let bass = 0, mid = 0, high = 0, nb = 0, nm = 0, nh = 0;
    for (let i = 1; i < bins.length; i++) {
      const hz = i * hzPerBin;
      const v = bins[i]! / 255;
      if (hz < 250) { bass += v; nb++; } else if (hz < 2000) { mid += v; nm++; } else { high += v; nh++; }
    }
    return { bass: nb ? bass / nb : 0, mid: nm ? mid / nm : 0, high: nh ? high / nh : 0 };
  }
}
