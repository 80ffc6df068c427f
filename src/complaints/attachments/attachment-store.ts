import { createReadStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where attachment bytes live, content-addressed by their SHA-256: the same file uploaded twice is stored once. The
 * embedded profile keeps them under DATA_DIR/attachments; an S3-compatible bucket is the documented extension point (an
 * implementation of this port whose `adopt` uploads the temporary file under the key `sha256/<hash>` and whose `open`
 * streams the object back).
 */
export interface AttachmentStore {
  /** A fresh path for an upload in progress, on the same volume as the store (so adopting it is a rename). */
  temporaryPath(name: string): string;
  /** Moves a fully written temporary file into the store under its hash; true when it was not stored before. */
  adopt(temporaryPath: string, sha256: string): boolean;
  open(sha256: string): Readable | undefined;
  /** Removes a stored file (only an upload whose command was refused ever does). */
  remove(sha256: string): void;
}

export class FileAttachmentStore implements AttachmentStore {
  private readonly root: string;
  private readonly tmp: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'attachments');
    this.tmp = join(this.root, 'tmp');
  }

  temporaryPath(name: string): string {
    mkdirSync(this.tmp, { recursive: true });
    return join(this.tmp, name);
  }

  adopt(temporaryPath: string, sha256: string): boolean {
    const target = this.pathOf(sha256);
    if (existsSync(target)) {
      rmSync(temporaryPath, { force: true });
      return false;
    }
    mkdirSync(join(this.root, sha256.slice(0, 2)), { recursive: true });
    renameSync(temporaryPath, target);
    return true;
  }

  open(sha256: string): Readable | undefined {
    const path = this.pathOf(sha256);
    return existsSync(path) ? createReadStream(path) : undefined;
  }

  remove(sha256: string): void {
    rmSync(this.pathOf(sha256), { force: true });
  }

  private pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`Not a SHA-256: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256);
  }
}

export const ATTACHMENT_STORE = Symbol('AttachmentStore');
