/**
 * Credentials in the AWS CLI's shared credentials format (an INI file of profiles with
 * `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`), and where the `wharf` CLI
 * finds them: as the AWS CLI does (environment, then `--profile` / `AWS_PROFILE` in
 * `~/.aws/credentials` or `AWS_SHARED_CREDENTIALS_FILE`), then the local `wharf up` data folder's
 * `credentials` (the root key the controller made at first start), then the shared file's
 * `default` profile.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { wharfError } from '../model/errors.js';
import { DEFAULT_DATA_DIR } from './defaults.js';

/** The file in a controller's data folder holding the root access key it made at first start. */
export const CREDENTIALS_FILE = 'credentials';
/** The profile that file writes the key under. */
export const CREDENTIALS_PROFILE = 'default';

export interface ResolvedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** Where they came from, for messages: `environment`, or `<file> [profile]`. */
  readonly source: string;
}

/** The text of a credentials file holding one profile. */
export function formatCredentialsFile(profile: string, accessKeyId: string, secretAccessKey: string): string {
  return `[${profile}]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`;
}

/** The profiles of a credentials file: `[name]` sections of `key = value` lines (`#` and `;` comments). */
export function parseCredentialsFile(text: string): Map<string, Map<string, string>> {
  const profiles = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (section?.[1]) {
      current = new Map();
      profiles.set(section[1], current);
      continue;
    }
    const equals = line.indexOf('=');
    if (current && equals > 0) current.set(line.slice(0, equals).trim().toLowerCase(), line.slice(equals + 1).trim());
  }
  return profiles;
}

/** A profile's keys from a file, or undefined when the file or profile is missing or incomplete. */
export function readCredentialsFile(file: string, profile: string): ResolvedCredentials | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const entries = parseCredentialsFile(text).get(profile);
  const accessKeyId = entries?.get('aws_access_key_id');
  const secretAccessKey = entries?.get('aws_secret_access_key');
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = entries?.get('aws_session_token');
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}), source: `${file} [${profile}]` };
}

/**
 * The credentials to sign with, or WHARF_E_NO_CREDENTIALS naming every place looked in. `profile`
 * is the `--profile` flag. A named profile (flag or AWS_PROFILE) must exist: it is never skipped
 * for another source.
 */
export function resolveCredentials(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedCredentials {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}), source: 'environment' };
  }
  const shared = env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(env.HOME ?? os.homedir(), '.aws', 'credentials');
  const named = profile ?? env.AWS_PROFILE;
  if (named !== undefined) {
    const found = readCredentialsFile(shared, named);
    if (found) return found;
    throw wharfError('WHARF_E_NO_CREDENTIALS', { looked: `the profile "${named}" in ${shared}` });
  }
  const local = path.join(env.WHARF_DATA_DIR ?? DEFAULT_DATA_DIR, CREDENTIALS_FILE);
  const found = readCredentialsFile(local, CREDENTIALS_PROFILE) ?? readCredentialsFile(shared, 'default');
  if (found) return found;
  throw wharfError('WHARF_E_NO_CREDENTIALS', { looked: `AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ${path.resolve(local)} (made by \`wharf up\` in this folder) and the default profile of ${shared}` });
}
