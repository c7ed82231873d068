/**
 * The offline clock guard: a license is valid until `exp` without calling home, so the host keeps
 * the latest time it has seen per origin (persisted, only ever moving forward) and refuses a clock
 * that went back further than a small tolerance — turning the clock back never revives a license.
 */

/** Where the latest seen time (seconds since the epoch) per origin persists. */
export interface LicenseClock {
  latest(origin: string): Promise<number | undefined>;
  /** Records `seconds` for `origin` if it is later than what is stored. */
  record(origin: string, seconds: number): Promise<void>;
}

/** How far (seconds) a clock may step back before it counts as turned back (NTP corrections). */
export const CLOCK_TOLERANCE_S = 60;

/** A clock that forgets on reload (tests, and hosts that persist elsewhere). */
export class MemoryLicenseClock implements LicenseClock {
  private readonly seen = new Map<string, number>();
  async latest(origin: string): Promise<number | undefined> {
    return this.seen.get(origin);
  }
  async record(origin: string, seconds: number): Promise<void> {
    if (seconds > (this.seen.get(origin) ?? -Infinity)) this.seen.set(origin, seconds);
  }
}

/** A clock in the page's localStorage (key `vib3-license-clock:<origin>`). */
export function localStorageLicenseClock(storage: Storage = globalThis.localStorage): LicenseClock {
  const key = (origin: string) => `vib3-license-clock:${origin}`;
  return {
    async latest(origin) {
      const v = Number(storage.getItem(key(origin)));
      return Number.isFinite(v) && v > 0 ? v : undefined;
    },
    async record(origin, seconds) {
      const v = Number(storage.getItem(key(origin)));
      if (!(Number.isFinite(v) && v >= seconds)) storage.setItem(key(origin), String(seconds));
    },
  };
}
