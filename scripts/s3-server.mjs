#!/usr/bin/env node
// A throwaway S3-compatible server (s3rver 3.7) for tests and for humans.
//
//   import { startS3Server } from '../scripts/s3-server.mjs';
//   const s3 = await startS3Server();   // { spec: 's3://vib3?endpoint=http://127.0.0.1:PORT&…', stop() }
//   openBlobStore({ blobs: s3.spec, dataDir })
//   await s3.stop();                    // closes the server and removes its directory
//
//   node scripts/s3-server.mjs          // starts one, prints its --blobs spec, stops on Ctrl+C
//
// Loopback only, a free port, objects in a fresh temporary directory, one bucket created up front.
// s3rver checks SigV4 signatures against its fixed account S3RVER / S3RVER (carried in the spec)
// and does NOT enforce conditional writes (`If-None-Match`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The credentials s3rver accepts. */
export const S3RVER_CREDENTIALS = Object.freeze({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });

/**
 * Starts s3rver on 127.0.0.1 (free port) with a pre-created bucket.
 * @param {{ bucket?: string, dir?: string }} [options] `bucket` (default `vib3`); `dir`: parent of the
 *   temporary object directory (default: the OS temp dir).
 * @returns {Promise<{ spec: string, endpoint: string, bucket: string, port: number, dir: string,
 *   accessKeyId: string, secretAccessKey: string, stop(): Promise<void> }>} `spec` is a complete
 *   `--blobs` value, credentials included.
 */
export async function startS3Server(options = {}) {
  const { default: S3rver } = await import('s3rver');
  const bucket = options.bucket ?? 'vib3';
  const dir = mkdtempSync(join(resolve(options.dir ?? tmpdir()), 'vib3-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: bucket }],
  });
  let address;
  try {
    address = await server.run();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const endpoint = `http://127.0.0.1:${address.port}`;
  let stopped;
  const stop = () =>
    (stopped ??= (async () => {
      // Drop keep-alive sockets so close() does not wait for idle clients.
      server.httpServer?.closeAllConnections?.();
      await server.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    })());
  return { spec: `s3://${bucket}?endpoint=${endpoint}&region=us-east-1&accessKeyId=${S3RVER_CREDENTIALS.accessKeyId}&secretAccessKey=${S3RVER_CREDENTIALS.secretAccessKey}`, endpoint, bucket, port: address.port, dir, ...S3RVER_CREDENTIALS, stop };
}

// CLI: start one, print the spec, stop on Ctrl+C / SIGTERM.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const s3 = await startS3Server();
  console.log(s3.spec);
  console.error(`s3rver on ${s3.endpoint}, bucket ${s3.bucket}, objects in ${s3.dir}; Ctrl+C stops it and removes the directory.`);
  const shutdown = async () => {
    await s3.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
