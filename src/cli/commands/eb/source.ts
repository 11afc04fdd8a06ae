/**
 * Turning the project folder into an application version, as `eb create` and `eb deploy` do: pack
 * the folder (packFolder: `.ebignore`, else `.gitignore`) into a temporary zip, upload it as a
 * stream, and CreateApplicationVersion with a label and description from git when the folder is
 * in a git repository (see labels.ts).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ApplicationVersionView } from '../../../model/api/platform.js';
import type { ApiClient } from '../../client.js';
import type { CreatedVersion, UploadedBundle } from './api.js';
import { BUNDLES_ROUTE, ebCall } from './api.js';
import { versionDescription, versionLabel } from './labels.js';

const run = promisify(execFile);
/** git answers at once or not at all; a hung git must not hang a deploy. */
const GIT_TIMEOUT_MS = 5000;

/** The commit the folder is at: its short id and subject, or nothing (no git, no commit). */
export async function gitCommit(dir: string): Promise<{ shortId: string; subject: string } | undefined> {
  try {
    const { stdout: shortId } = await run('git', ['rev-parse', '--short', 'HEAD'], { cwd: dir, timeout: GIT_TIMEOUT_MS });
    const { stdout: subject } = await run('git', ['log', '-1', '--pretty=%s'], { cwd: dir, timeout: GIT_TIMEOUT_MS });
    return shortId.trim() ? { shortId: shortId.trim(), subject: subject.trim() } : undefined;
  } catch {
    return undefined;
  }
}

export interface NewVersionSpec {
  readonly client: ApiClient;
  readonly applicationName: string;
  /** The project folder to pack. */
  readonly root: string;
  /** `--label`; else named from git or the time. */
  readonly label?: string | undefined;
  /** `-m`; else the commit subject. */
  readonly message?: string | undefined;
  readonly now: Date;
  /** Told what is happening (a line each step). */
  readonly say: (line: string) => void;
  /** `--process`: ask Elastic Beanstalk to validate the bundle (Wharf always does). */
  readonly process?: boolean;
}

/** Packs, uploads and creates the version; the temporary zip is removed whatever happens. */
export async function createVersionFromFolder(spec: NewVersionSpec): Promise<ApplicationVersionView> {
  const commit = spec.label !== undefined && spec.message !== undefined ? undefined : await gitCommit(spec.root);
  const label = spec.label ?? versionLabel(spec.now, commit?.shortId);
  const description = versionDescription(spec.message, commit?.subject);
  const temp = await mkdtemp(path.join(os.tmpdir(), 'wharf-eb-'));
  try {
    const zip = path.join(temp, 'bundle.zip');
    spec.say(`Creating application version archive "${label}".`);
    const { packFolder } = await import('../../../bundle/pack.js');
    const packed = await packFolder(spec.root, zip);
    spec.say(`Uploading: ${packed.files} file(s), ${packed.bytes} byte(s).`);
    const { SourceBundle } = await spec.client.upload<UploadedBundle>(BUNDLES_ROUTE, zip);
    const { ApplicationVersion } = await ebCall<CreatedVersion>(spec.client, 'CreateApplicationVersion', {
      ApplicationName: spec.applicationName,
      VersionLabel: label,
      ...(description ? { Description: description } : {}),
      SourceBundle,
      AutoCreateApplication: true,
      ...(spec.process ? { Process: true } : {}),
    });
    spec.say(`Created application version ${label} (${ApplicationVersion.Platform}).`);
    return ApplicationVersion;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
