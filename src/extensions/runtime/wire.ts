import { transferHandlers } from 'comlink';

let installed = false;

/**
 * Errors keep their `code` and `suggestion` across comlink (its default "throw" handler keeps
 * only name, message and stack). Installed in the host and in every sandbox worker; idempotent.
 */
export function installErrorWire(): void {
  if (installed) return;
  installed = true;
  const original = transferHandlers.get('throw')!;
  transferHandlers.set('throw', {
    canHandle: original.canHandle,
    serialize(wrapped: unknown) {
      const value = (wrapped as { value: unknown }).value;
      if (typeof value !== 'object' || value === null) return [{ isError: false, value }, []];
      return [errorWireValue(value), []];
    },
    deserialize(plain: unknown) {
      const p = plain as { isError: boolean; name: string; message: string; code?: string; suggestion?: string; value?: unknown };
      if (!p.isError) throw p.value;
      throw Object.assign(new Error(p.message), { name: p.name, ...(p.code ? { code: p.code } : {}), ...(p.suggestion ? { suggestion: p.suggestion } : {}) });
    },
  } as typeof original);
}

/**
 * The wire form of a thrown error: comlink's own shape (`value: { name, message }`, so a peer
 * without this handler still gets an Error) plus the stable `code` and `suggestion`.
 */
export function errorWireValue(error: unknown): { isError: true; name: string; message: string; code?: string; suggestion?: string; value: { name: string; message: string } } {
  const e = error as { name?: unknown; message?: unknown; code?: unknown; suggestion?: unknown };
  const name = String(e?.name ?? 'Error');
  const message = String(e?.message ?? error);
  return { isError: true, name, message, ...(typeof e?.code === 'string' ? { code: e.code } : {}), ...(typeof e?.suggestion === 'string' ? { suggestion: e.suggestion } : {}), value: { name, message } };
}
