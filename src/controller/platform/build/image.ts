/**
 * The docker platform's build: `docker build` of the version's source folder through dockerode,
 * the engine's output appended to the build log, and the port the app listens on.
 */
import { createWriteStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { PRIVATE_FILE_MODE } from '../../../files.js';
import { wharfError } from '../../../model/errors.js';
import { BuildStepFailure } from './run.js';

/** The container port when neither the Dockerfile nor its base image exposes one (EB's Node.js and Docker default is 8080 too). */
export const DEFAULT_CONTAINER_PORT = 8080;

export interface ImageBuildOptions {
  readonly docker: Docker;
  readonly sourceDir: string;
  readonly imageTag: string;
  readonly logFile: string;
  readonly signal: AbortSignal;
}

/** One JSON message of the engine's build stream. */
interface BuildEvent {
  readonly stream?: string;
  readonly status?: string;
  readonly progress?: string;
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
  readonly aux?: { readonly ID?: string };
}

/**
 * Builds `sourceDir` (its `.dockerignore` applies) into an image tagged `imageTag` and returns the
 * port the app listens on (see containerPortOf). A failed step throws BuildStepFailure with the
 * engine's message; the step's output is in the log.
 */
export async function buildDockerImage(options: ImageBuildOptions): Promise<{ containerPort: number }> {
  const { docker, sourceDir, imageTag, logFile, signal } = options;
  const dockerfile = await readFile(path.join(sourceDir, 'Dockerfile'), 'utf8');
  const src = await contextEntries(sourceDir);
  const out = createWriteStream(logFile, { flags: 'a', mode: PRIVATE_FILE_MODE });
  const write = (text: string) => void out.write(text.endsWith('\n') ? text : `${text}\n`);
  write(`$ docker build --tag ${imageTag} --rm --force-rm ${sourceDir}`);
  try {
    let stream: Readable;
    try {
      stream = (await docker.buildImage({ context: sourceDir, src }, { t: imageTag, rm: true, forcerm: true, abortSignal: signal })) as unknown as Readable;
    } catch (error) {
      signal.throwIfAborted();
      throw engineFailure(error, docker, write);
    }
    const failure = await new Promise<string | undefined>((resolve, reject) => {
      let failed: string | undefined;
      docker.modem.followProgress(
        stream,
        (error: Error | null) => {
          if (error) reject(error);
          else resolve(failed);
        },
        (event: BuildEvent) => {
          if (event.stream !== undefined) out.write(event.stream);
          else if (event.status !== undefined) write(event.progress ? `${event.status} ${event.progress}` : event.status);
          if (event.error !== undefined || event.errorDetail?.message !== undefined) {
            failed ??= event.errorDetail?.message ?? event.error;
            write(`ERROR: ${failed}`);
          }
        },
      );
    }).catch((error: unknown) => {
      signal.throwIfAborted();
      throw engineFailure(error, docker, write);
    });
    if (failure !== undefined) throw new BuildStepFailure(failure);
    const image = await docker.getImage(imageTag).inspect();
    const exposed = Object.keys(image.Config?.ExposedPorts ?? {});
    const containerPort = containerPortOf(dockerfile, exposed);
    write(`image ${imageTag} (${image.Id}), container port ${containerPort}`);
    return { containerPort };
  } finally {
    await new Promise((resolve) => out.end(resolve));
  }
}

/**
 * The port the app listens on: the first TCP port of the first `EXPOSE` of the Dockerfile's last
 * stage; when that names none as a plain number (no EXPOSE there, or `EXPOSE $PORT`), the lowest
 * TCP port the built image exposes (`imageExposed`, e.g. `["3000/tcp"]`, which covers what the base
 * image exposes and resolved variables); else DEFAULT_CONTAINER_PORT.
 */
export function containerPortOf(dockerfile: string, imageExposed: readonly string[] = []): number {
  let stagePort: number | undefined;
  let stageHasExpose = false;
  for (const [instruction, rest] of instructions(dockerfile)) {
    if (instruction === 'FROM') {
      stagePort = undefined;
      stageHasExpose = false;
    } else if (instruction === 'EXPOSE' && !stageHasExpose) {
      stageHasExpose = true;
      stagePort = rest
        .split(/\s+/)
        .map(tcpPort)
        .find((port) => port !== undefined);
    }
  }
  if (stagePort !== undefined) return stagePort;
  const fromImage = imageExposed.map(tcpPort).filter((port): port is number => port !== undefined);
  return fromImage.length > 0 ? Math.min(...fromImage) : DEFAULT_CONTAINER_PORT;
}

/** `3000`, `3000/tcp`, `8000-8010` → its (first) port; UDP, SCTP and variables → undefined. */
function tcpPort(spec: string): number | undefined {
  const match = /^(\d+)(?:-\d+)?(?:\/(tcp|udp|sctp))?$/i.exec(spec.trim());
  if (!match || (match[2] !== undefined && match[2].toLowerCase() !== 'tcp')) return undefined;
  const port = Number(match[1]);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** A Dockerfile's instructions as [UPPER-CASE NAME, arguments], continuation lines joined, comments skipped. */
function instructions(dockerfile: string): [string, string][] {
  const result: [string, string][] = [];
  let pending = '';
  for (const raw of dockerfile.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    const match = /^(\w+)\s*(.*)$/.exec(full);
    if (match) result.push([(match[1] as string).toUpperCase(), match[2] as string]);
  }
  return result;
}

/**
 * Every file, link and empty folder under `dir`, relative to it: the build context. (Files rather
 * than top-level names, so dockerode can apply `.dockerignore` to each path.)
 */
async function contextEntries(dir: string): Promise<string[]> {
  const entries: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    const children = await readdir(path.join(dir, relative), { withFileTypes: true });
    if (children.length === 0 && relative !== '') entries.push(relative);
    for (const child of children) {
      const name = relative === '' ? child.name : `${relative}/${child.name}`;
      if (child.isDirectory()) await walk(name);
      else if (child.isFile() || child.isSymbolicLink()) entries.push(name);
    }
  };
  await walk('');
  return entries.sort();
}

/** A rejected build request: the engine unreachable is Wharf's problem, anything else the app's (e.g. a Dockerfile parse error). */
function engineFailure(error: unknown, docker: Docker, write: (text: string) => void): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const message = (error as { json?: { message?: string } }).json?.message ?? (error as Error).message;
  write(`ERROR: ${message}`);
  if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EACCES') {
    const modem = docker.modem as { socketPath?: string; host?: string };
    return wharfError('WHARF_E_DOCKER_UNREACHABLE', { socket: modem.socketPath ?? modem.host ?? 'the configured address', reason: message }, { cause: error });
  }
  return new BuildStepFailure(message.trim());
}
