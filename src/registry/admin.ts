/**
 * Operator tasks that open a registry's database directly (no server): publishing a new root
 * that was signed offline. Uses the same migrations and TUF repository as the server.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from './db/open.js';
import { runMigrations } from './db/migrations.js';
import { TufRepository } from './tuf/repository.js';
import { REGISTRY_MIGRATIONS } from './schema.js';

/**
 * Verifies `rootFile` against the registry's current root (threshold of the old and of the new
 * root keys) and stores it as the next root version. Rejects with a coded error and changes
 * nothing otherwise.
 */
export async function importRootFile(options: { rootFile: string; dataDir: string; database?: string }): Promise<{ version: number }> {
  const text = readFileSync(options.rootFile, 'utf8');
  const dataDir = resolve(options.dataDir);
  const db = await openDatabase({ dataDir, ...(options.database ? { database: options.database } : {}) });
  try {
    await runMigrations(db, REGISTRY_MIGRATIONS);
    const tuf = await TufRepository.open({ db, keyDir: join(dataDir, 'keys') });
    const { version } = await tuf.importRoot(db, text);
    return { version };
  } finally {
    await db.close();
  }
}
