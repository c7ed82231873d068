/* Generated from src/extensions/manifest/schema/extension.schema.json by scripts/gen-manifest-types.mjs. Do not edit by hand. */

export type KeyId = string;
/**
 * Shown to the user when they are asked to consent.
 */
export type Reason = string;
export type FeatureList = (
  'webgpu' | 'webgl2' | 'audio' | 'pointer' | 'offscreen-canvas' | 'wasm-simd' | 'shared-array-buffer'
)[];

/**
 * extension.json, manifestVersion 2: what a VIB3 extension is, what it may do, and who signed it.
 */
export interface Vib3ExtensionManifest {
  $schema?: string;
  /**
   * Format version of this file. Older versions are migrated forward when loaded.
   */
  manifestVersion: 2;
  /**
   * Immutable reverse-DNS identifier, e.g. com.example.duoprism. Never reused for another extension.
   */
  id: string;
  /**
   * Canonical semantic version (semver.valid(v) === v): no 'v' prefix, no build metadata.
   */
  version: string;
  /**
   * Display name.
   */
  name: string;
  description?: string;
  publisher: {
    name: string;
    url?: string;
    keyId: KeyId;
  };
  /**
   * What the extension may do. Each entry carries the reason shown to the user at consent time.
   */
  capabilities: {
    rendering?: Capability;
    geometry?: Capability;
    ui?: {
      reason: Reason;
      /**
       * @minItems 1
       */
      slots: ['toolbar' | 'panel' | 'overlay' | 'status', ...('toolbar' | 'panel' | 'overlay' | 'status')[]];
    };
    'agent-tools'?: Capability;
    telemetry?: Capability;
    network?: {
      reason: Reason;
      /**
       * Exact origins (scheme://host[:port]); no wildcards, paths or trailing slashes.
       *
       * @minItems 1
       * @maxItems 32
       */
      origins: [string, ...string[]];
    };
  };
  entrypoints: {
    /**
     * ES module run in the sandboxed Worker.
     */
    worker: string;
    /**
     * Deprecated and never run: a widget describes its UI with view() in the worker entry, and the host renders it.
     */
    ui?: string;
    /**
     * JSON file describing the agent tools.
     */
    toolPack?: string;
  };
  compatibility: {
    /**
     * semver range of the kit versions this works with.
     */
    core: string;
    rendererContract: number;
    features?: {
      required?: FeatureList;
      optional?: FeatureList;
    };
  };
  marketplace?: {
    title: string;
    summary: string;
    /**
     * The long description partner listings show (plain text; a blank line separates paragraphs).
     */
    description?: string;
    /**
     * @minItems 1
     * @maxItems 3
     */
    categories:
      | ['geometry' | 'renderer' | 'ui' | 'agent-tools' | 'audio' | 'data' | 'education' | 'art']
      | [
          'geometry' | 'renderer' | 'ui' | 'agent-tools' | 'audio' | 'data' | 'education' | 'art',
          'geometry' | 'renderer' | 'ui' | 'agent-tools' | 'audio' | 'data' | 'education' | 'art'
        ]
      | [
          'geometry' | 'renderer' | 'ui' | 'agent-tools' | 'audio' | 'data' | 'education' | 'art',
          'geometry' | 'renderer' | 'ui' | 'agent-tools' | 'audio' | 'data' | 'education' | 'art',
          'geometry' | 'renderer' | 'ui' | 'agent-tools' | 'audio' | 'data' | 'education' | 'art'
        ];
    /**
     * @maxItems 20
     */
    tags?:
      | []
      | [string]
      | [string, string]
      | [string, string, string]
      | [string, string, string, string]
      | [string, string, string, string, string]
      | [string, string, string, string, string, string]
      | [string, string, string, string, string, string, string]
      | [string, string, string, string, string, string, string, string]
      | [string, string, string, string, string, string, string, string, string]
      | [string, string, string, string, string, string, string, string, string, string]
      | [string, string, string, string, string, string, string, string, string, string, string]
      | [string, string, string, string, string, string, string, string, string, string, string, string]
      | [string, string, string, string, string, string, string, string, string, string, string, string, string]
      | [string, string, string, string, string, string, string, string, string, string, string, string, string, string]
      | [
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string
        ]
      | [
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string
        ]
      | [
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string
        ]
      | [
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string
        ]
      | [
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string
        ]
      | [
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string
        ];
    /**
     * @maxItems 10
     */
    previews?:
      | []
      | [
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          }
        ]
      | [
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          }
        ]
      | [
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          }
        ]
      | [
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          }
        ]
      | [
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          }
        ]
      | [
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          }
        ]
      | [
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          }
        ]
      | [
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          }
        ]
      | [
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          }
        ]
      | [
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          },
          {
            src: string;
            alt: string;
            width?: number;
            height?: number;
            /**
             * The preset (marketplace.presets[].name) vib3 ext previews rendered it with.
             */
            preset?: string;
          }
        ];
    pricing: {
      model: 'free' | 'paid' | 'subscription';
      amount?: number;
      currency?: string;
      /**
       * A paid extension with a free tier runs without a license in this tier; its entitlement-gated tools stay locked.
       */
      freeTier?: string;
      /**
       * Tool name -> the license entitlement it needs (calls without it fail with ENTITLEMENT_REQUIRED).
       */
      entitlements?: {
        [k: string]: string | undefined;
      };
    };
    brand?: {
      tagline?: string;
      color?: string;
      copy?: string;
    };
    locales?: {
      [k: string]:
        | {
            title?: string;
            summary?: string;
            description?: string;
          }
        | undefined;
    };
    /**
     * How vib3 ext previews renders the extension for listings: the canvas parameters, theme and tool call of each preview.
     *
     * @maxItems 8
     */
    presets?:
      | []
      | [
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          }
        ]
      | [
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          }
        ]
      | [
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          }
        ]
      | [
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          }
        ]
      | [
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          }
        ]
      | [
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          }
        ]
      | [
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          }
        ]
      | [
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          },
          {
            name: string;
            /**
             * Caption of the preview (screenshot captions, alt text).
             */
            title?: string;
            /**
             * <vib3-canvas> parameters (system, geometry, hue, …).
             */
            params?: {
              [k: string]: number | string | boolean | undefined;
            };
            /**
             * A theme pack name.
             */
            theme?: string;
            /**
             * A tool of the extension called before the capture (e.g. one that puts its mesh on the canvas).
             */
            tool?: {
              name: string;
              input?: {};
            };
          }
        ];
    /**
     * SPDX license expression of the extension's code (npm, WordPress.org).
     */
    license?: string;
    links?: {
      homepage?: string;
      support?: string;
      repository?: string;
      funding?: string;
      privacy?: string;
    };
  };
  /**
   * Added by `vib3 ext sign`: Ed25519 over the RFC 8785 canonical JSON of this manifest without signature.value.
   */
  signature?: {
    algorithm: 'Ed25519';
    keyId: KeyId;
    /**
     * SHA-512 integrity (SRI form) of every file in the package except extension.json.
     */
    files: {
      [k: string]: string | undefined;
    };
    value: string;
  };
}
export interface Capability {
  reason: Reason;
}
