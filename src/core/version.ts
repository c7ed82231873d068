/** The kit's version, replaced at build time from package.json. */
declare const __VIB3_VERSION__: string | undefined;
export const VERSION: string = typeof __VIB3_VERSION__ === 'string' ? __VIB3_VERSION__ : '0.0.0-dev';
