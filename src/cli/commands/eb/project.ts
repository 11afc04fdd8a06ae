/**
 * The EB CLI's project file, `.elasticbeanstalk/config.yml`, in the EB CLI's own format, so a
 * project set up by either tool works with the other:
 *
 * ```yaml
 * branch-defaults:
 *   default:
 *     environment: shop-dev      # what `wharf eb use` sets; commands act on it without a name
 * global:
 *   application_name: shop
 *   default_platform: nodejs     # null: detected from the bundle
 *   workspace_type: Application
 * ```
 *
 * Wharf reads and writes the `default` branch only (the EB CLI keys it by git branch when the
 * project uses git). Writing keeps every other key and comment as it was. Saved configurations
 * that `wharf eb config get` downloads go to `.elasticbeanstalk/saved_configs/<name>.cfg.yml`.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Document, isMap, parseDocument } from 'yaml';
import { z } from 'zod';
import { wharfError } from '../../../model/errors.js';
import { readOptionalText } from '../../../files.js';

/** The project folder's settings folder, as the EB CLI names it. */
export const PROJECT_DIR = '.elasticbeanstalk';
export const CONFIG_FILE = 'config.yml';
export const SAVED_CONFIGS_DIR = 'saved_configs';
/** The branch-defaults key Wharf uses (the EB CLI's own key when there is no git). */
export const DEFAULT_BRANCH = 'default';

/** The parts of config.yml Wharf reads; everything else is kept as it is. */
const configSchema = z
  .object({
    global: z
      .object({
        application_name: z.union([z.string().min(1), z.null()]).optional(),
        default_platform: z.union([z.string(), z.null()]).optional(),
      })
      .passthrough()
      .nullish(),
    'branch-defaults': z
      .record(z.string(), z.object({ environment: z.union([z.string(), z.null()]).optional() }).passthrough().nullish())
      .nullish(),
  })
  .passthrough();

/** What a project file says, parsed once. */
export interface ProjectConfig {
  readonly applicationName: string | undefined;
  readonly defaultPlatform: string | undefined;
  /** The `default` branch's environment: what commands act on when none is named. */
  readonly defaultEnvironment: string | undefined;
}

/** A project: the folder holding `.elasticbeanstalk/config.yml`, and what the file says. */
export interface Project {
  readonly root: string;
  readonly file: string;
  readonly config: ProjectConfig;
}

/** Reads config.yml's text; a file that is not YAML or not the EB CLI's shape is a usage error naming it. */
export function parseProjectConfig(text: string, file: string): ProjectConfig {
  const doc = parseDocument(text);
  const problem = doc.errors[0];
  if (problem) throw wharfError('WHARF_E_USAGE', { reason: `${file} is not valid YAML: ${problem.message.split('\n')[0] ?? ''}. Fix it, or delete it and run \`wharf eb init\` again` });
  const parsed = configSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue ? issue.path.join('.') || '(the file)' : '(the file)';
    throw wharfError('WHARF_E_USAGE', { reason: `${file}: ${at}: ${issue?.message ?? 'unexpected content'}. Fix it, or delete it and run \`wharf eb init\` again` });
  }
  const { global, 'branch-defaults': branches } = parsed.data;
  return Object.freeze({
    applicationName: global?.application_name ?? undefined,
    defaultPlatform: global?.default_platform || undefined,
    defaultEnvironment: branches?.[DEFAULT_BRANCH]?.environment || undefined,
  });
}

/** What `updateProjectConfig` changes; null writes `null` (unset), undefined leaves the key alone. */
export interface ProjectConfigPatch {
  readonly applicationName?: string;
  readonly defaultPlatform?: string | null;
  readonly defaultEnvironment?: string | null;
}

/** Makes `doc[...path]` a map (creating it, or replacing a null there) so keys can be set below it. */
function ensureMap(doc: Document, keys: readonly string[]): void {
  for (let depth = 1; depth <= keys.length; depth += 1) {
    const at = keys.slice(0, depth);
    if (!isMap(doc.getIn(at, true))) doc.setIn(at, doc.createNode({}));
  }
}

/** Sets a value as a node, so that null is written `null` (yaml writes a bare null as a key alone). */
function setValue(doc: Document, keys: readonly string[], value: string | null): void {
  doc.setIn(keys, doc.createNode(value));
}

/**
 * The text of config.yml after `patch`, from its current text (undefined: a new file, laid out as
 * the EB CLI lays it out). Comments and keys Wharf does not know stay as they were.
 */
export function updateProjectConfig(text: string | undefined, patch: ProjectConfigPatch): string {
  const parsed: Document = parseDocument(text ?? '');
  // An empty file (or one whose top is not a map) starts over as a map.
  const doc = isMap(parsed.contents) ? parsed : new Document({});
  if (text === undefined || text.trim() === '') {
    ensureMap(doc, ['branch-defaults', DEFAULT_BRANCH]);
    setValue(doc, ['branch-defaults', DEFAULT_BRANCH, 'environment'], null);
    ensureMap(doc, ['global']);
    setValue(doc, ['global', 'application_name'], null);
    setValue(doc, ['global', 'default_platform'], null);
    setValue(doc, ['global', 'workspace_type'], 'Application');
  }
  if (patch.applicationName !== undefined) {
    ensureMap(doc, ['global']);
    setValue(doc, ['global', 'application_name'], patch.applicationName);
  }
  if (patch.defaultPlatform !== undefined) {
    ensureMap(doc, ['global']);
    setValue(doc, ['global', 'default_platform'], patch.defaultPlatform);
  }
  if (patch.defaultEnvironment !== undefined) {
    ensureMap(doc, ['branch-defaults', DEFAULT_BRANCH]);
    setValue(doc, ['branch-defaults', DEFAULT_BRANCH, 'environment'], patch.defaultEnvironment);
  }
  return doc.toString();
}

/** The project `cwd` is in: the nearest folder at or above it with `.elasticbeanstalk/config.yml` (as the EB CLI looks). */
export async function findProject(cwd: string): Promise<Project | undefined> {
  let dir = path.resolve(cwd);
  for (;;) {
    const file = path.join(dir, PROJECT_DIR, CONFIG_FILE);
    const text = await readOptionalText(file);
    if (text !== undefined) return { root: dir, file, config: parseProjectConfig(text, file) };
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The project, or a usage error saying to run `wharf eb init`. */
export async function requireProject(cwd: string): Promise<Project & { config: ProjectConfig & { applicationName: string } }> {
  const project = await findProject(cwd);
  if (!project) throw wharfError('WHARF_E_USAGE', { reason: `${path.resolve(cwd)} is not in a Wharf EB project (no ${PROJECT_DIR}/${CONFIG_FILE} here or above). Run \`wharf eb init [application]\` in the project folder first` });
  const { applicationName } = project.config;
  if (!applicationName) throw wharfError('WHARF_E_USAGE', { reason: `${project.file} names no application (global.application_name). Run \`wharf eb init <application>\` to set it` });
  return { ...project, config: { ...project.config, applicationName } };
}

/** Applies `patch` to `root`'s config.yml (creating it), writing a whole new file in one rename. */
export async function writeProjectConfig(root: string, patch: ProjectConfigPatch): Promise<string> {
  const dir = path.join(root, PROJECT_DIR);
  const file = path.join(dir, CONFIG_FILE);
  await mkdir(dir, { recursive: true });
  const next = updateProjectConfig(await readOptionalText(file), patch);
  const temp = `${file}.tmp-${process.pid}`;
  await writeFile(temp, next);
  await rename(temp, file);
  return file;
}

/**
 * The environment a command acts on: the one named on the command line, else the project's
 * branch default (`wharf eb use`), else a usage error saying how to give one.
 */
export function environmentOf(named: string | undefined, project: Project | undefined): string {
  if (named) return named;
  const fallback = project?.config.defaultEnvironment;
  if (fallback) return fallback;
  const where = project ? `${project.file} sets no default environment` : 'this folder is not in a Wharf EB project';
  throw wharfError('WHARF_E_USAGE', { reason: `No environment given, and ${where}. Name the environment on the command line, or set a default with \`wharf eb use <environment>\`` });
}

/** Where `wharf eb config get` writes a saved configuration. */
export function savedConfigFile(root: string, name: string): string {
  return path.join(root, PROJECT_DIR, SAVED_CONFIGS_DIR, `${name}.cfg.yml`);
}
