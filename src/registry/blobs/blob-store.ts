/**
 * Package bytes, content-addressed by SHA-256 (hex): a write of the same bytes is idempotent and a
 * key never names other bytes. Implementations: files under `--data` (default) and an
 * S3-compatible bucket (`--blobs s3://bucket?endpoint=…`).
 */
export interface BlobStore {
  /** Stores bytes under their SHA-256 (hex, lowercase); the caller computed it. Durable when it resolves. */
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  /** The bytes, or `undefined` when there is no such blob. */
  get(sha256: string): Promise<Uint8Array | undefined>;
  /** Whether a blob exists. */
  has(sha256: string): Promise<boolean>;
  /** Releases resources. */
  close?(): Promise<void>;
}
