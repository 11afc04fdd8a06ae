/**
 * Builds an application version into something a driver runs (a Runnable), once per version, on
 * its first deploy:
 *
 *   nodejs  copy the source to <buildDir>/app; install dependencies (none when node_modules is in
 *           the bundle; `npm ci` with a lock file, else `npm install`; devDependencies omitted,
 *           NODE_ENV=production); run Procfile `web:` through /bin/sh, else `npm start`
 *   python  copy the source to <buildDir>/app; a virtualenv in <buildDir>/venv with
 *           requirements.txt installed; run Procfile `web:`, else `python application.py`
 *   docker  `docker build` of the source folder, tagged imageTag; the container port from EXPOSE
 *
 * Every command's output goes to <buildDir>/build.log. A failed build removes <buildDir>, keeps its
 * log beside it as <buildDir>.failed.log, and throws WHARF_E_BUILD_FAILED with the log's last lines.
 */
import { createHash } from 'node:crypto';
import { access, appendFile, cp, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { makePrivateDir, PRIVATE_DIR_MODE, writePrivateFile } from '../../../files.js';
import type { Logger } from '../../../log.js';
import { WharfError, wharfError } from '../../../model/errors.js';
import type { PlatformName } from '../../../model/platform.js';
import { handOver, lookupUser, runningAsRoot } from '../../../users.js';
import { detectPlatform, PLATFORM_FILES, WEB_PROCESS } from './detect.js';
import { buildDockerImage } from './image.js';
import { BuildStepFailure, buildEnvironment, logTail, runLogged } from './run.js';

/** How long one build may take, all steps together, before it is stopped and fails. */
export const BUILD_TIMEOUT_MS = 10 * 60_000;
/** The build log, inside the build folder. */
export const BUILD_LOG = 'build.log';
/** Where a failed build's log is kept: beside the (removed) build folder, under this suffix. */
export const FAILED_LOG_SUFFIX = '.failed.log';
/** The Python that makes virtualenvs (found on PATH). */
const PYTHON = 'python3';
/** npm's flags for installs: production dependencies only, nothing that needs the network when the cache has it. */
const NPM_INSTALL_FLAGS = ['--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--no-update-notifier', '--no-progress'];
const PIP_INSTALL_FLAGS = ['--no-input', '--disable-pip-version-check', '--no-color'];

/**
 * What a version runs as: a folder and argv for the process driver, or an image for the docker
 * driver. The process kind listens on `$PORT` (set by the driver); the image kind on containerPort.
 */
export type Runnable =
  | {
      readonly kind: 'process';
      /** The built app's folder (absolute), the command's working folder. */
      readonly workingDirectory: string;
      readonly command: readonly string[];
      /** Variables the build decided (NODE_ENV, a virtualenv's PATH); the environment's own come on top. */
      readonly environment: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: 'image';
      /** The tag the image was built under (imageTagFor). */
      readonly image: string;
      readonly containerPort: number;
    };

export interface BuildInput {
  /** The version's extracted source (left untouched). */
  readonly sourceDir: string;
  /** Where the build goes; must not exist yet. */
  readonly buildDir: string;
  /** The version's platform (checked against the source again, see detectPlatform). */
  readonly platform: PlatformName;
  /** The tag of the image a docker build makes (imageTagFor); unused by the other platforms. */
  readonly imageTag: string;
  /** The engine docker builds run on; required for platform docker. */
  readonly docker?: Docker;
  /**
   * The host user a process app runs as (the agents' task user). When the controller is root and the
   * user exists, the built app folder is handed to it, as Elastic Beanstalk hands `/var/app/current`
   * to `webapp`: the app may read and write its own folder and nothing else of the controller's.
   */
  readonly owner?: string;
  /** The environment's variables, seen by npm and pip (not by `docker build`). */
  readonly environment?: Readonly<Record<string, string>>;
  readonly log: Logger;
  /** Cancels the build: its command is stopped, its folder removed, and the signal's reason thrown. */
  readonly signal?: AbortSignal;
}

interface BuildContext extends BuildInput {
  readonly logFile: string;
  readonly signal: AbortSignal;
  readonly procfile?: Readonly<Record<string, string>>;
}

/**
 * Builds one version (see the file comment) and returns how to run it. Throws WHARF_E_BUILD_FAILED
 * when the app's build fails or exceeds BUILD_TIMEOUT_MS, the detection errors of detectPlatform
 * when the source does not fit `platform`, and the signal's reason when cancelled. Nothing is left
 * in `buildDir` after a failure.
 */
export async function buildVersion(input: BuildInput): Promise<Runnable> {
  const { buildDir, platform } = input;
  const log = input.log.child({ buildDir, platform });
  const started = Date.now();
  const failedLog = `${buildDir}${FAILED_LOG_SUFFIX}`;
  await makePrivateDir(path.dirname(buildDir));
  try {
    await mkdir(buildDir, { mode: PRIVATE_DIR_MODE });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new Error(`The build folder ${buildDir} already exists: a version is built once, into a new folder (remove it to build again)`, { cause: error });
    }
    throw error;
  }
  const logFile = path.join(buildDir, BUILD_LOG);
  const timeout = AbortSignal.timeout(BUILD_TIMEOUT_MS);
  const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout;
  try {
    await rm(failedLog, { force: true });
    await writePrivateFile(logFile, `# wharf: ${platform} build of ${input.sourceDir}, started ${new Date(started).toISOString()}\n`);
    log.info({ sourceDir: input.sourceDir }, 'build started');
    const detected = await detectPlatform(input.sourceDir, platform);
    const context: BuildContext = { ...input, logFile, signal, ...(detected.procfile ? { procfile: detected.procfile } : {}) };
    const runnable = platform === 'docker' ? await buildDocker(context) : platform === 'nodejs' ? await buildNode(context) : await buildPython(context);
    if (runnable.kind === 'process') await handOverApp(runnable.workingDirectory, context);
    const durationMs = Date.now() - started;
    await appendFile(logFile, `# wharf: build succeeded in ${(durationMs / 1000).toFixed(1)} s\n`);
    log.info({ durationMs, runnable }, 'build succeeded');
    return runnable;
  } catch (error) {
    const cancelled = input.signal?.aborted === true;
    const timedOut = !cancelled && timeout.aborted;
    const reason = cancelled ? 'the build was cancelled' : timedOut ? `it did not finish within ${BUILD_TIMEOUT_MS / 60_000} minutes` : (error as Error).message;
    await appendFile(logFile, `# wharf: build failed after ${((Date.now() - started) / 1000).toFixed(1)} s: ${reason}\n`).catch(() => undefined);
    await rename(logFile, failedLog).catch(() => undefined);
    await rm(buildDir, { recursive: true, force: true, maxRetries: 3 });
    if (cancelled) {
      log.info({ logPath: failedLog }, 'build cancelled');
      throw input.signal?.reason;
    }
    if (error instanceof WharfError) {
      log.warn({ code: error.code, reason: error.message }, 'build refused');
      throw error;
    }
    if (!timedOut && !(error instanceof BuildStepFailure)) {
      log.error({ err: error, logPath: failedLog }, 'build failed (a fault in Wharf or the host)');
      throw error;
    }
    log.warn({ reason, logPath: failedLog, durationMs: Date.now() - started }, 'build failed');
    throw wharfError('WHARF_E_BUILD_FAILED', { platform, reason, logPath: failedLog, logTail: `\n${await logTail(failedLog)}` }, { cause: error, context: { buildDir } });
  }
}

/** Hands the built app folder to `owner` (see BuildInput.owner); a controller that is not root leaves it its own. */
async function handOverApp(appDir: string, context: BuildContext): Promise<void> {
  if (context.owner === undefined || !runningAsRoot()) return;
  const user = lookupUser(context.owner);
  if ('error' in user) {
    await note(context, `the app folder stays the controller's: ${user.error} (until that user exists, the agents refuse to start the app's tasks)`);
    return;
  }
  const opened = handOver(appDir, user);
  await note(context, `handed ${appDir} to user ${user.name} (uid ${user.uid}), who runs the app`);
  if (opened.length > 0) await note(context, `let others search (not list) ${opened.join(', ')} so that ${user.name} reaches it`);
}

/**
 * A valid Docker image reference for a version: `wharf-app/<application>:<label>-<hash>`. The
 * application is lower-cased and anything outside Docker's repository grammar becomes `-`; the label
 * keeps letters, digits, `_`, `.` and `-` (others become `-`); the hash (of both names, unsanitised)
 * keeps two versions apart whose names sanitise alike.
 */
export function imageTagFor(application: string, versionLabel: string): string {
  const hash = createHash('sha256').update(`${application}\0${versionLabel}`).digest('hex').slice(0, 10);
  const trimSeparators = (text: string) => text.replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  // Between two alphanumeric runs Docker allows one `.`, one or two `_`, or any number of `-`.
  const separated = application.toLowerCase().replace(/[^a-z0-9]+/g, (separator) => (['.', '_', '__'].includes(separator) ? separator : '-'));
  const repository = trimSeparators(trimSeparators(separated).slice(0, 100)) || 'app';
  const label = versionLabel
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128 - hash.length - 1);
  return `wharf-app/${repository}:${label === '' ? hash : `${label}-${hash}`}`;
}

async function buildDocker(context: BuildContext): Promise<Runnable> {
  if (!context.docker) throw new Error('buildVersion: platform docker needs a Docker Engine (BuildInput.docker)');
  const { containerPort } = await buildDockerImage({ docker: context.docker, sourceDir: context.sourceDir, imageTag: context.imageTag, logFile: context.logFile, signal: context.signal });
  return { kind: 'image', image: context.imageTag, containerPort };
}

async function buildNode(context: BuildContext): Promise<Runnable> {
  const appDir = await copySource(context);
  const web = context.procfile?.[WEB_PROCESS];
  const manifest = await readPackageJson(appDir);
  let command: string[];
  if (web !== undefined) {
    command = ['/bin/sh', '-c', web];
  } else {
    // npm start runs `node server.js` when there is no start script (npm's own default).
    if (manifest.state === 'missing') throw await stepFailure(context, `there is no ${PLATFORM_FILES.packageJson} and no Procfile \`web:\` process, so nothing says how to start the app`);
    if (manifest.state === 'valid' && typeof manifest.value.scripts?.start !== 'string' && !(await exists(path.join(appDir, 'server.js')))) {
      throw await stepFailure(
        context,
        `\`npm start\` has nothing to run: package.json has no "start" script and there is no server.js. Add "scripts": { "start": "node <your entry file>" } to package.json, or a Procfile with \`web: <command>\``,
      );
    }
    command = ['npm', 'start'];
  }

  const env = buildEnvironment(context.environment, { NODE_ENV: 'production' });
  if (manifest.state === 'missing') {
    await note(context, `no ${PLATFORM_FILES.packageJson}: nothing to install`);
  } else if (await isDirectory(path.join(appDir, 'node_modules'))) {
    if (manifest.state === 'invalid') throw await stepFailure(context, `package.json is not valid JSON: ${manifest.error}`);
    await note(context, 'node_modules is in the bundle: its dependencies are used as shipped, nothing is installed');
  } else {
    const locked = (await exists(path.join(appDir, 'package-lock.json'))) || (await exists(path.join(appDir, 'npm-shrinkwrap.json')));
    await runLogged(['npm', locked ? 'ci' : 'install', ...NPM_INSTALL_FLAGS], { cwd: appDir, env, logFile: context.logFile, signal: context.signal, missingHint: 'install Node.js with npm on the controller host' });
  }
  return { kind: 'process', workingDirectory: appDir, command, environment: { NODE_ENV: 'production' } };
}

/**
 * Python: without a Procfile the app runs as `python application.py`, a plain script serving $PORT.
 * (Elastic Beanstalk's own default is gunicorn serving `application:application`; Wharf does not
 * bring gunicorn, so an app wanting it lists it in requirements.txt and names it in the Procfile.)
 */
async function buildPython(context: BuildContext): Promise<Runnable> {
  const appDir = await copySource(context);
  const venv = path.join(context.buildDir, 'venv');
  const venvBin = path.join(venv, 'bin');
  const python = path.join(venvBin, 'python');
  const web = context.procfile?.[WEB_PROCESS];
  let command: string[];
  if (web !== undefined) command = ['/bin/sh', '-c', web];
  else if (await exists(path.join(appDir, PLATFORM_FILES.application))) command = [python, PLATFORM_FILES.application];
  else throw await stepFailure(context, `there is no Procfile \`web:\` process and no ${PLATFORM_FILES.application}, so nothing says how to start the app: add a Procfile such as \`web: gunicorn application:application\` (with gunicorn in requirements.txt), or an ${PLATFORM_FILES.application} that serves $PORT`);

  const env = buildEnvironment(context.environment);
  const runEnvironment = { PATH: `${venvBin}:${env.PATH ?? '/usr/local/bin:/usr/bin:/bin'}`, VIRTUAL_ENV: venv, PYTHONUNBUFFERED: '1' };
  const requirements = await requirementLines(appDir);
  // A virtualenv without pip takes a second instead of ten: only make pip when something is installed.
  await runLogged([PYTHON, '-m', 'venv', ...(requirements > 0 ? [] : ['--without-pip']), venv], {
    cwd: appDir,
    env,
    logFile: context.logFile,
    signal: context.signal,
    missingHint: 'install Python 3 with its venv module on the controller host (Debian: apt-get install python3 python3-venv)',
  });
  if (requirements > 0) {
    await runLogged([python, '-m', 'pip', 'install', ...PIP_INSTALL_FLAGS, '-r', PLATFORM_FILES.requirements], { cwd: appDir, env: { ...env, ...runEnvironment }, logFile: context.logFile, signal: context.signal });
  } else {
    await note(context, `${PLATFORM_FILES.requirements} lists nothing (or is absent): nothing to install`);
  }
  return { kind: 'process', workingDirectory: appDir, command, environment: runEnvironment };
}

/** Copies the source into <buildDir>/app, links kept as they are (bundles hold no links out). */
async function copySource(context: BuildContext): Promise<string> {
  const appDir = path.join(context.buildDir, 'app');
  await cp(context.sourceDir, appDir, { recursive: true, verbatimSymlinks: true, errorOnExist: true, force: false });
  await note(context, `copied the source to ${appDir}`);
  return appDir;
}

/** The number of requirement lines (not blank, not comments) in requirements.txt; 0 without one. */
async function requirementLines(appDir: string): Promise<number> {
  try {
    const text = await readFile(path.join(appDir, PLATFORM_FILES.requirements), 'utf8');
    return text.split(/\r?\n/).filter((line) => line.trim() !== '' && !line.trim().startsWith('#')).length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

type PackageJson = { state: 'missing' } | { state: 'invalid'; error: string } | { state: 'valid'; value: { scripts?: Record<string, unknown> } };

async function readPackageJson(appDir: string): Promise<PackageJson> {
  let text: string;
  try {
    text = await readFile(path.join(appDir, PLATFORM_FILES.packageJson), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    throw error;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { state: 'invalid', error: 'it is not a JSON object' };
    return { state: 'valid', value: value as { scripts?: Record<string, unknown> } };
  } catch (error) {
    return { state: 'invalid', error: (error as Error).message };
  }
}

/** Writes `reason` to the log and returns the failure to throw. */
async function stepFailure(context: BuildContext, reason: string): Promise<BuildStepFailure> {
  await note(context, reason);
  return new BuildStepFailure(reason);
}

async function note(context: BuildContext, text: string): Promise<void> {
  await appendFile(context.logFile, `# wharf: ${text}\n`);
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}
