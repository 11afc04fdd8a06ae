/**
 * Access keys: making a new key pair, and the account root's key at first start. An access key
 * id is `AKIA` and 16 base-32 characters, a secret 40 base64 characters, as AWS's; the secret is
 * stored only sealed and shown once.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { CREDENTIALS_FILE, CREDENTIALS_PROFILE, formatCredentialsFile } from '../../config/credentials.js';
import { writePrivateFile } from '../../files.js';
import { wharfError } from '../../model/errors.js';
import { presignUrl } from '../../model/sigv4.js';
import type { AccessKeyRecord, KeyOwner } from '../../model/iam/principal.js';
import type { Repositories, Store } from '../../store/store.js';
import type { Sealer } from './sealing.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `prefix` and `length` random base-32 characters: IAM's ids (`AKIA…`, `AIDA…`, `AGPA…`, `ANPA…`). */
export function iamId(prefix: string, length = 16): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += BASE32[byte % 32];
  return id;
}

/** A new key for `owner`: the record to store (secret sealed) and the secret to show once. */
export function newAccessKey(owner: KeyOwner, sealer: Sealer, now: number): { readonly record: AccessKeyRecord; readonly secretAccessKey: string } {
  const secretAccessKey = randomBytes(30).toString('base64');
  const record: AccessKeyRecord = { accessKeyId: iamId('AKIA'), owner, status: 'Active', createDate: now, sealedSecret: sealer.seal(secretAccessKey), lastUsedDate: null };
  return { record, secretAccessKey };
}

/** The account root's key as the controller found or made it at start. */
export interface RootKey {
  /** The credentials file in the data folder (written when the key was made). */
  readonly file: string;
  /** The key made now, when the store had none; undefined when one existed already. */
  readonly created?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * Makes the root user's access key when the store has no root key, and writes it to
 * `<dataDir>/credentials` (0600) in the AWS CLI's format. A store that has one keeps it: its
 * secret was shown once and is not written again.
 */
export async function ensureRootKey(store: Store, sealer: Sealer, dataDir: string, now: number): Promise<RootKey> {
  const file = path.join(dataDir, CREDENTIALS_FILE);
  const key = newAccessKey({ kind: 'root' }, sealer, now);
  const created = await store.transaction(async (tx: Repositories) => {
    const existing = await tx.iam.accessKeysOf({ kind: 'root' });
    if (existing[0]) {
      checkSealer(sealer, existing[0].sealedSecret);
      return false;
    }
    // The file first: should the commit fail, the next start makes another key and overwrites it;
    // a key committed without its file would be a secret no one was ever shown.
    await writePrivateFile(file, formatCredentialsFile(CREDENTIALS_PROFILE, key.record.accessKeyId, key.secretAccessKey));
    await tx.iam.putAccessKey(key.record);
    return true;
  });
  return created ? { file, created: { accessKeyId: key.record.accessKeyId, secretAccessKey: key.secretAccessKey } } : { file };
}

/** Refuses to start with a secrets key that cannot open the store's secrets (controllers sharing a database with different keys). */
function checkSealer(sealer: Sealer, sealed: string): void {
  try {
    sealer.open(sealed);
  } catch (error) {
    throw wharfError(
      'WHARF_E_INVALID_CONFIGURATION',
      { summary: 'this controller\'s secrets key cannot open the access keys in the store: controllers that share a database must share one key (set the same WHARF_SECRETS_KEY on each, or copy the first one\'s <data-dir>/secrets.key)' },
      { cause: error },
    );
  }
}

/**
 * A presigned S3 GET of `url` signed with the account root's key: the links the controller hands
 * out itself (Elastic Beanstalk's RetrieveEnvironmentInfo), as EB hands out links signed with its
 * own credentials rather than the caller's. The root's key because the S3 endpoint verifies a link
 * like any signed call (the key's holder and policies): root may read every bucket, exists from
 * the first start on, and is the same on every controller sharing the store, so any of them can
 * verify a link another made. The secret never leaves the controller; a link carries only the
 * key id and a signature bound to this one GET, this path and its expiry.
 */
export async function presignAsRoot(store: Pick<Store, 'iam'>, sealer: Sealer | undefined, region: string, url: string, expiresSeconds: number, now: number): Promise<string> {
  const key = (await store.iam.accessKeysOf({ kind: 'root' })).find((k) => k.status === 'Active');
  if (!sealer || !key) throw new Error('Cannot sign a link: the account root has no active access key (or the controller has not started)');
  return presignUrl({ method: 'GET', url }, { accessKeyId: key.accessKeyId, secretAccessKey: sealer.open(key.sealedSecret) }, { region, service: 's3' }, new Date(now), expiresSeconds);
}
