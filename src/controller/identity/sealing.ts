/**
 * Sealing secrets at rest (access keys' secrets; later, the Secrets Manager analogue), and role
 * sessions' tokens: AES-256-GCM under the installation's secrets key, so the database, its WAL
 * and its backups never hold a secret in clear, and a session token is good only on the Wharf
 * that made it. The key is the `WHARF_SECRETS_KEY` setting (base64 of 32 bytes; controllers
 * sharing one PostgreSQL must share it) or `<data-dir>/secrets.key`, made at first start, 0600.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';
import { wharfError } from '../../model/errors.js';
import { readOptionalText, writePrivateFile } from '../../files.js';
import { parseRoleSession } from '../../model/iam/session.js';
import type { RoleSession } from '../../model/iam/session.js';

/** The file in the data folder that keeps the generated secrets key when none is configured. */
export const SECRETS_KEY_FILE = 'secrets.key';
const KEY_BYTES = 32;
const IV_BYTES = 12;
/** The sealed form's version prefix, so the scheme can change without guessing. */
const FORMAT = 'v1';

/** Seals and opens secrets with one key. */
export interface Sealer {
  seal(secret: string): string;
  /** The secret, or throws when the sealed text was not sealed with this key or was altered. */
  open(sealed: string): string;
}

/** A sealer over a 32-byte key. */
export function sealerFor(key: Buffer): Sealer {
  if (key.length !== KEY_BYTES) throw new RangeError(`a secrets key has ${KEY_BYTES} bytes, not ${key.length}`);
  return {
    seal(secret) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return [FORMAT, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed) {
      const [format, iv, tag, body] = sealed.split('.');
      if (format !== FORMAT || iv === undefined || tag === undefined || body === undefined) throw new Error('not a sealed secret of this version');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/** Reads a base64 key, or throws the configuration error naming where it came from. */
function decodeKey(text: string, source: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw wharfError('WHARF_E_INVALID_CONFIGURATION', { summary: `${source} must be ${KEY_BYTES} bytes in base64 (for example the output of \`openssl rand -base64 32\`); it decodes to ${key.length} bytes` });
  }
  return key;
}

/** The installation's sealer: the configured key, else the data folder's, else a new one saved there. */
export async function loadSealer(dataDir: string, configured: string | undefined): Promise<Sealer> {
  if (configured !== undefined) return sealerFor(decodeKey(configured, 'WHARF_SECRETS_KEY'));
  const file = path.join(dataDir, SECRETS_KEY_FILE);
  const saved = await readOptionalText(file);
  if (saved !== undefined) return sealerFor(decodeKey(saved, file));
  const key = randomBytes(KEY_BYTES);
  await writePrivateFile(file, key.toString('base64') + '\n');
  return sealerFor(key);
}

/** A session token longer than this is no token of this Wharf: not opened. */
const MAX_SESSION_TOKEN_CHARS = 4096;

/** A role session's token (STS AssumeRole's SessionToken): the session sealed with the secrets key, in base64. Nothing else of it is stored. */
export function sealSessionToken(sealer: Sealer, session: RoleSession): string {
  return Buffer.from(sealer.seal(JSON.stringify(session)), 'utf8').toString('base64');
}

/** The session a token carries; undefined for a token that does not open (another key, altered, garbled) or carries no session. */
export function openSessionToken(sealer: Sealer, token: string): RoleSession | undefined {
  if (token.length > MAX_SESSION_TOKEN_CHARS) return undefined;
  try {
    return parseRoleSession(sealer.open(Buffer.from(token, 'base64').toString('utf8')));
  } catch {
    return undefined;
  }
}
