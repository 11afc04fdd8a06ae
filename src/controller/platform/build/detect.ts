/**
 * Which platform runs a version, from the files at the root of its source (as Elastic Beanstalk
 * decides, and as the folder README describes):
 *
 *   Dockerfile                          → docker  (an image is built from the folder)
 *   package.json                        → nodejs  (Procfile `web:`, else `npm start`)
 *   requirements.txt or application.py  → python  (Procfile `web:`, else `python application.py`)
 *
 * The first match wins, so a bundle with both a Dockerfile and a package.json is a docker bundle.
 * A Procfile names the command and is read for every platform but docker; on its own it does not
 * tell Node.js from Python, so a Procfile-only bundle needs its platform named (the environment's
 * solution stack).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { wharfError } from '../../../model/errors.js';
import type { PlatformName } from '../../../model/platform.js';
import { readOptionalText } from '../../../files.js';

/** The platform a version runs on, and its Procfile's processes when it has one. */
export interface Detected {
  readonly platform: PlatformName;
  /** Process name → command, from the Procfile (always with a `web` entry); absent without a Procfile. */
  readonly procfile?: Readonly<Record<string, string>>;
}

/** The files detection looks at, at the root of the source. */
export const PLATFORM_FILES = {
  dockerfile: 'Dockerfile',
  procfile: 'Procfile',
  packageJson: 'package.json',
  requirements: 'requirements.txt',
  application: 'application.py',
} as const;

/** Elastic Beanstalk's pattern for a Procfile line. */
export const PROCFILE_LINE = /^[A-Za-z0-9_-]+:\s*[^\s].*$/;

/** The Procfile process that serves HTTP; the only one Wharf runs. */
export const WEB_PROCESS = 'web';

/**
 * Decides how a version's source runs. Without `platform`, detects it (see the file comment);
 * with one (the environment's solution stack names it), checks that the source fits it. Either
 * way the Procfile, when present, is parsed and must name a `web` process.
 *
 * Throws WHARF_E_PLATFORM_UNDETECTED when nothing fits (listing what was looked for) or the named
 * platform lacks its file (naming both), WHARF_E_PROCFILE_INVALID for a bad Procfile.
 */
export async function detectPlatform(sourceDir: string, platform?: PlatformName): Promise<Detected> {
  const has = async (name: string) => isFile(path.join(sourceDir, name));
  const [dockerfile, packageJson, requirements, application] = await Promise.all([
    has(PLATFORM_FILES.dockerfile),
    has(PLATFORM_FILES.packageJson),
    has(PLATFORM_FILES.requirements),
    has(PLATFORM_FILES.application),
  ]);
  const found = { docker: dockerfile, nodejs: packageJson, python: requirements || application };

  if (platform === 'docker' && !dockerfile) throw undetected(`the platform is docker, but the bundle has no ${PLATFORM_FILES.dockerfile} at its root`);
  // Docker runs what the image says; a Procfile there is the app's own business.
  if (platform === 'docker' || (platform === undefined && dockerfile)) return { platform: 'docker' };
  const procfile = await readProcfile(sourceDir);
  if (platform !== undefined) {
    if (!found[platform] && procfile === undefined) {
      const needs = platform === 'nodejs' ? PLATFORM_FILES.packageJson : `${PLATFORM_FILES.requirements} or ${PLATFORM_FILES.application}`;
      throw undetected(`the platform is ${platform}, but the bundle has neither ${needs} nor a ${PLATFORM_FILES.procfile} at its root`);
    }
    return withProcfile(platform, procfile);
  }
  if (packageJson) return withProcfile('nodejs', procfile);
  if (found.python) return withProcfile('python', procfile);
  if (procfile !== undefined) {
    throw undetected(`the bundle has a ${PLATFORM_FILES.procfile} but nothing that tells Node.js from Python (no ${PLATFORM_FILES.packageJson}, ${PLATFORM_FILES.requirements} or ${PLATFORM_FILES.application}); name the platform (nodejs or python) in the environment's solution stack`);
  }
  throw undetected(
    `its root has none of ${[PLATFORM_FILES.dockerfile, PLATFORM_FILES.procfile, PLATFORM_FILES.packageJson, PLATFORM_FILES.requirements, PLATFORM_FILES.application].join(', ')} (a bundle whose files sit in one top folder should be zipped from inside that folder)`,
  );
}

/**
 * Reads `<dir>/Procfile` into process name → command, or undefined when there is none. Blank lines
 * and lines starting with `#` are skipped; every other line must match EB's pattern (PROCFILE_LINE).
 * Throws WHARF_E_PROCFILE_INVALID naming the line, for a name given twice, or when no process is
 * named `web`.
 */
export async function readProcfile(dir: string): Promise<Readonly<Record<string, string>> | undefined> {
  const text = await readOptionalText(path.join(dir, PLATFORM_FILES.procfile));
  return text === undefined ? undefined : parseProcfile(text);
}

/** Parses a Procfile's text (see readProcfile). */
export function parseProcfile(text: string): Readonly<Record<string, string>> {
  // A Map, so a process named `__proto__` is just a name.
  const processes = new Map<string, string>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `line ${index + 1} ("${line.length > 80 ? `${line.slice(0, 77)}...` : line}")`;
    if (!PROCFILE_LINE.test(line)) throw wharfError('WHARF_E_PROCFILE_INVALID', { reason: `${where} is not \`<name>: <command>\`` });
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    if (processes.has(name)) throw wharfError('WHARF_E_PROCFILE_INVALID', { reason: `${where} names process "${name}" a second time` });
    processes.set(name, line.slice(colon + 1).trim());
  });
  if (!processes.has(WEB_PROCESS)) {
    const names = [...processes.keys()];
    throw wharfError('WHARF_E_PROCFILE_INVALID', {
      reason: `it has no "${WEB_PROCESS}" process (${names.length === 0 ? 'it names no process at all' : `it names ${names.map((name) => `"${name}"`).join(', ')}`})`,
    });
  }
  return Object.freeze(Object.fromEntries(processes));
}

function withProcfile(platform: PlatformName, procfile: Readonly<Record<string, string>> | undefined): Detected {
  return procfile === undefined ? { platform } : { platform, procfile };
}

function undetected(reason: string) {
  return wharfError('WHARF_E_PLATFORM_UNDETECTED', { reason });
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
