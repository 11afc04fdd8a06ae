/**
 * The artifact store: uploaded source bundles kept once each under their SHA-256, as plain files
 * in one folder (`<dataDir>/artifacts/<sha256>`). A bundle is written to a temporary file in the
 * same folder while it is hashed, flushed to disk, then renamed to its hash, so a reader never
 * sees half a bundle and the same content uploaded twice is stored once.
 */
import { randomBytes, createHash } from 'node:crypto';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { wharfError } from '../../../model/errors.js';
import { makePrivateDir } from '../../../files.js';
import { DEFAULT_MAX_BUNDLE_BYTES } from './extract.js';

/** A stored artifact's name: its SHA-256 as 64 lowercase hex digits. Parse keys from requests with it. */
export const artifactIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'An artifact is named by its SHA-256: 64 lowercase hex digits');

/** Temporary files being written start with this; they are never listed. */
export const ARTIFACT_TEMP_PREFIX = '.tmp-';

/** One stored artifact. */
export interface ArtifactInfo {
  readonly sha256: string;
  readonly size: number;
}

/** A stored artifact with the time its file was last written (stored, or stored again). */
export interface StoredArtifact extends ArtifactInfo {
  readonly modifiedAt: number;
}

/** Limits of one store: the largest artifact (a request's upload), and all of them together. */
export interface ArtifactLimits {
  /** Largest artifact accepted, in bytes; default DEFAULT_MAX_BUNDLE_BYTES (Elastic Beanstalk's bundle limit). */
  readonly maxArtifactBytes?: number;
  /** All artifacts together at most, in bytes (`WHARF_ARTIFACT_QUOTA_BYTES`); unbounded when absent. */
  readonly quotaBytes?: number;
}

/** Options of one `put`. */
export interface PutOptions {
  /** Largest content accepted, in bytes; default DEFAULT_MAX_BUNDLE_BYTES (Elastic Beanstalk's bundle limit). */
  readonly maxBytes?: number;
  /** The SHA-256 the sender signed (x-amz-content-sha256): content that hashes otherwise is refused and kept nowhere. */
  readonly expectedSha256?: string;
}

/** Content-addressed files in one folder. Create one per data folder and share it. */
export class ArtifactStore {
  /** Uses (and creates on first write) the folder `root`, normally `<dataDir>/artifacts`. */
  constructor(
    readonly root: string,
    private readonly limits: ArtifactLimits = {},
  ) {}

  /**
   * Stores a stream's content and returns its SHA-256 and size. Only a Readable stream is taken,
   * never a path: what a client sends is content, and must not name a file on this host.
   * Storing content that is already there is harmless. Over `maxBytes` it throws
   * WHARF_E_BUNDLE_TOO_LARGE and keeps nothing; a failing source (or any other error) keeps
   * nothing either, and its error reaches the caller.
   */
  async put(source: Readable, options: PutOptions = {}): Promise<ArtifactInfo> {
    if (!(source instanceof Readable)) throw new TypeError(`ArtifactStore.put takes a Readable stream, not ${source === null ? 'null' : typeof source}`);
    // Until the loop below reads it, an error of the source (a client that goes away, a chunk that
    // fails its signature) has no other listener; keep it, so it fails this put instead of the
    // process. Listen before the first await: the source may fail while the quota is counted.
    let sourceError: unknown;
    const onSourceError = (error: unknown): void => {
      sourceError ??= error;
    };
    source.on('error', onSourceError);
    const maxBytes = options.maxBytes ?? this.limits.maxArtifactBytes ?? DEFAULT_MAX_BUNDLE_BYTES;
    // What the quota leaves: content already stored counts once, so its bytes are not counted again.
    const quota = this.limits.quotaBytes;
    const temp = path.join(this.root, `${ARTIFACT_TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    try {
      const used = quota === undefined ? 0 : (await this.list()).reduce((total, artifact) => total + artifact.size, 0);
      await makePrivateDir(this.root);
      const handle = await open(temp, 'wx', 0o600);
      try {
        for await (const chunk of source as AsyncIterable<Buffer | string>) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
          size += bytes.length;
          if (size > maxBytes) throw wharfError('WHARF_E_BUNDLE_TOO_LARGE', { limit: maxBytes });
          if (quota !== undefined && used + size > quota) throw wharfError('WHARF_E_ARTIFACT_QUOTA_EXCEEDED', { quota, used });
          hash.update(bytes);
          for (let offset = 0; offset < bytes.length; ) offset += (await handle.write(bytes, offset, bytes.length - offset)).bytesWritten;
        }
        if (sourceError !== undefined) throw sourceError;
        await handle.sync();
      } finally {
        await handle.close();
      }
      const sha256 = hash.digest('hex');
      if (options.expectedSha256 !== undefined && options.expectedSha256 !== sha256) {
        throw wharfError('WHARF_E_PAYLOAD_HASH_MISMATCH', { declared: options.expectedSha256.slice(0, 64), received: sha256 });
      }
      await rename(temp, this.pathOf(sha256));
      await this.syncFolder();
      return { sha256, size };
    } catch (error) {
      source.destroy();
      await rm(temp, { force: true });
      throw error;
    } finally {
      source.off('error', onSourceError);
    }
  }

  /** Whether the artifact is stored. */
  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.path(sha256))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  /** The file of an artifact (stored or not); refuses a name that is not a SHA-256 with WHARF_E_VALIDATION. */
  path(sha256: string): string {
    const parsed = artifactIdSchema.safeParse(sha256);
    if (!parsed.success) {
      const message = parsed.error.issues[0]?.message ?? 'not a SHA-256';
      throw wharfError('WHARF_E_VALIDATION', { summary: `${JSON.stringify(sha256.slice(0, 80))} is not an artifact name: ${message}` }, { errors: [{ field: 'sha256', message }] });
    }
    return this.pathOf(parsed.data);
  }

  /** Removes an artifact; true if it was there. */
  async remove(sha256: string): Promise<boolean> {
    const file = this.path(sha256);
    try {
      await rm(file);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  /**
   * Removes every artifact not in `inUse` whose file was last written before `before` (an upload
   * gets that long to be named by an application version); returns what it removed.
   */
  async removeUnused(inUse: ReadonlySet<string>, before: number): Promise<StoredArtifact[]> {
    const removed: StoredArtifact[] = [];
    for (const artifact of await this.list()) {
      if (inUse.has(artifact.sha256) || artifact.modifiedAt >= before) continue;
      if (await this.remove(artifact.sha256)) removed.push(artifact);
    }
    return removed;
  }

  /** Every stored artifact, sorted by hash (temporary files left by a crash are not listed). */
  async list(): Promise<StoredArtifact[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const artifacts: StoredArtifact[] = [];
    for (const name of names.filter((entry) => artifactIdSchema.safeParse(entry).success).sort()) {
      try {
        const info = await stat(this.pathOf(name));
        artifacts.push({ sha256: name, size: info.size, modifiedAt: info.mtimeMs });
      } catch (error) {
        // Removed between readdir and stat.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return artifacts;
  }

  private pathOf(sha256: string): string {
    return path.join(this.root, sha256);
  }

  /** Makes the rename durable: the folder's own entry list is flushed too. */
  private async syncFolder(): Promise<void> {
    const folder = await open(this.root, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }
}
