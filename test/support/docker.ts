/**
 * A real Docker Engine for tests, and the small local images they run.
 *
 * `startDockerd()` runs Debian's `dockerd` on its own socket, data root, exec root and pid file in a
 * fresh temp folder, on a bridge of its own (so several engines on one machine never share
 * `docker0` or addresses), with `--iptables=false` (a second engine in the root network namespace
 * must not touch the host's firewall). `buildTestImages()` makes the images (no registry is
 * reachable): a busybox image by `docker import` of a busybox-static root file system, and a node
 * image of the host's `node` plus the libraries `ldd` lists.
 *
 * `startDockerService()` is for the suite runner (one engine for all files, with the images built,
 * announced through WHARF_TEST_DOCKER_HOST); `useDocker(scope)` is for test files: the runner's
 * engine when set, else a private one stopped after `scope`. Neither ever skips: no engine, no pass.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, realpathSync, rmdirSync, rmSync, symlinkSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import type { CleanupScope } from './temp.js';

/** Env var through which the runner tells test files where its engine is (`unix:///path/docker.sock`). */
export const TEST_DOCKER_HOST_ENV = 'WHARF_TEST_DOCKER_HOST';
/** A busybox root file system (`/bin/sh` and every applet under /bin, /tmp). */
export const BUSYBOX_IMAGE = 'wharf-test/busybox:1';
/** The host's node and its libraries, nothing else (`FROM scratch`-like; /tmp exists). */
export const NODE_IMAGE = 'wharf-test/node:1';
/** Where node is inside NODE_IMAGE (the host's own path). */
export const NODE_IN_IMAGE = realpathSync(process.execPath);

/** Where Debian installs dockerd (sbin), and where other distributions may. */
const DOCKERD_CANDIDATES = ['/usr/sbin/dockerd', '/usr/bin/dockerd'];
const BUSYBOX = '/bin/busybox';
/** How long the engine may take to answer after it is started. */
const START_TIMEOUT_MS = 30_000;
/** How long a stopping engine gets before SIGKILL. */
const STOP_TIMEOUT_MS = 20_000;
const READY_POLL_MS = 50;

/** A running test engine. */
export interface TestDockerd {
  readonly socketPath: string;
  /** `unix://<socketPath>`, the form of DOCKER_HOST. */
  readonly host: string;
  readonly pid: number;
  readonly docker: Docker;
  /** Removes its containers, stops it by its PID, removes its bridge and folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts a private dockerd in a new temp folder (needs root). Fails with the end of its log. */
export async function startDockerd(): Promise<TestDockerd> {
  const dockerd = DOCKERD_CANDIDATES.find((candidate) => existsSync(candidate));
  if (!dockerd) throw new Error(`No dockerd at ${DOCKERD_CANDIDATES.join(' or ')}. Install Debian's docker.io: scripts/install-deps.sh --for-tests does (as root).`);
  if (process.getuid?.() !== 0) throw new Error('dockerd needs root; run the tests as root.');
  const root = mkdtempSync(path.join(tmpdir(), 'wharf-dockerd-'));
  const socketPath = path.join(root, 'docker.sock');
  const logFile = path.join(root, 'dockerd.log');
  const bridge = `wharf${randomBytes(5).toString('hex')}`;
  // Its containers' cgroups go under a parent of its own (removed at stop), not the shared /docker.
  const cgroupParent = `/wharf-test-dockerd-${randomBytes(5).toString('hex')}`;
  writeFileSync(path.join(root, 'daemon.json'), '{}\n');
  let server: ChildProcess | undefined;
  try {
    createBridge(bridge);
    const log = openSync(logFile, 'a');
    try {
      server = spawn(
        dockerd,
        [
          '--config-file', path.join(root, 'daemon.json'),
          '--host', `unix://${socketPath}`,
          '--data-root', path.join(root, 'data'),
          '--exec-root', path.join(root, 'exec'),
          '--pidfile', path.join(root, 'dockerd.pid'),
          '--bridge', bridge,
          '--iptables=false',
          '--ip-masq=false',
          '--ip-forward=false',
          '--exec-opt', 'native.cgroupdriver=cgroupfs',
          '--cgroup-parent', cgroupParent,
          '--log-level', 'warn',
        ],
        { stdio: ['ignore', log, log] },
      );
    } finally {
      closeSync(log);
    }
    const docker = new Docker({ socketPath });
    await waitUntilReady(server, docker, logFile);
    return handle(server, docker, root, socketPath, bridge, cgroupParent);
  } catch (error) {
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await new Promise((resolve) => server?.once('exit', resolve));
    }
    cleanupFolder(root, bridge, cgroupParent);
    throw error;
  }
}

function handle(server: ChildProcess, docker: Docker, root: string, socketPath: string, bridge: string, cgroupParent: string): TestDockerd {
  let stopping: Promise<void> | undefined;
  const lastResort = () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  };
  process.once('exit', lastResort);
  return {
    socketPath,
    host: `unix://${socketPath}`,
    pid: server.pid as number,
    docker,
    stop() {
      stopping ??= (async () => {
        process.removeListener('exit', lastResort);
        // Containers first (force: SIGKILL), so the engine does not wait out their stop timeouts.
        const containers = await docker.listContainers({ all: true }).catch(() => []);
        await Promise.all(containers.map((container) => docker.getContainer(container.Id).remove({ force: true }).catch(() => undefined)));
        if (server.exitCode === null && server.signalCode === null) {
          const exited = new Promise((resolve) => server.once('exit', resolve));
          server.kill('SIGTERM');
          const timer = setTimeout(() => server.kill('SIGKILL'), STOP_TIMEOUT_MS);
          await exited;
          clearTimeout(timer);
        }
        cleanupFolder(root, bridge, cgroupParent);
      })();
      return stopping;
    },
  };
}

/** A bridge with a /24 of 10.x.y.0 that no route on this host uses yet. */
function createBridge(name: string): void {
  const routes = execFileSync('ip', ['-4', 'route', 'show', 'table', 'all'], { encoding: 'utf8' }) + execFileSync('ip', ['-4', '-o', 'addr'], { encoding: 'utf8' });
  for (let attempt = 0; attempt < 50; attempt++) {
    const prefix = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 256)}`;
    if (routes.includes(`${prefix}.`)) continue;
    execFileSync('ip', ['link', 'add', 'name', name, 'type', 'bridge']);
    execFileSync('ip', ['addr', 'add', `${prefix}.1/24`, 'dev', name]);
    execFileSync('ip', ['link', 'set', name, 'up']);
    return;
  }
  throw new Error('no free 10.x.y.0/24 for the test engine bridge');
}

function cleanupFolder(root: string, bridge: string, cgroupParent: string): void {
  try {
    execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
  } catch {
    // never made
  }
  for (const mount of readFileSync('/proc/self/mounts', 'utf8').split('\n')) {
    const [, dir = '', type = ''] = mount.split(' ');
    if (type !== 'cgroup' && type !== 'cgroup2') continue;
    try {
      rmdirSync(path.join(dir, cgroupParent));
    } catch {
      // not made in this hierarchy
    }
  }
  // The engine unmounts its overlays on a clean stop; after a SIGKILL some may remain.
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((mount) => mount.startsWith(root + '/'))
    .sort((a, b) => b.length - a.length);
  for (const mount of mounts) {
    try {
      execFileSync('umount', ['-l', mount], { stdio: 'ignore' });
    } catch {
      // best effort
    }
  }
  rmSync(root, { recursive: true, force: true });
}

async function waitUntilReady(server: ChildProcess, docker: Docker, logFile: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error(`dockerd exited while starting (${server.exitCode ?? server.signalCode}):\n${logTail(logFile)}`);
    try {
      await docker.ping();
      return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`dockerd did not answer within ${START_TIMEOUT_MS} ms:\n${logTail(logFile)}`);
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

function logTail(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Makes BUSYBOX_IMAGE and NODE_IMAGE on `docker` unless it has them (several test files may ask at
 * once; importing the same tag twice is harmless).
 */
export async function buildTestImages(docker: Docker): Promise<void> {
  const present = new Set((await docker.listImages()).flatMap((image) => image.RepoTags ?? []));
  const work = mkdtempSync(path.join(tmpdir(), 'wharf-images-'));
  try {
    if (!present.has(BUSYBOX_IMAGE)) {
      if (!existsSync(BUSYBOX) || isDynamic(BUSYBOX)) {
        throw new Error(`No static ${BUSYBOX} (an image without libraries needs one). Install Debian's busybox-static: scripts/install-deps.sh --for-tests does (as root).`);
      }
      const rootfs = path.join(work, 'busybox');
      mkdirSync(path.join(rootfs, 'bin'), { recursive: true });
      mkdirSync(path.join(rootfs, 'tmp'), { mode: 0o1777 });
      copyFileSync(BUSYBOX, path.join(rootfs, 'bin', 'busybox'));
      execFileSync('chmod', ['755', path.join(rootfs, 'bin', 'busybox')]);
      for (const applet of execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n')) {
        if (applet !== '' && applet !== 'busybox') symlinkSync('busybox', path.join(rootfs, 'bin', applet));
      }
      await importTar(docker, ['-C', rootfs, '.'], BUSYBOX_IMAGE);
    }
    if (!present.has(NODE_IMAGE)) {
      const skeleton = path.join(work, 'node');
      mkdirSync(path.join(skeleton, 'tmp'), { recursive: true, mode: 0o1777 });
      execFileSync('chmod', ['1777', path.join(skeleton, 'tmp')]);
      const libraries = execFileSync('ldd', [NODE_IN_IMAGE], { encoding: 'utf8' })
        .split('\n')
        .map((line) => /(\/\S+) \(0x/.exec(line)?.[1])
        .filter((file): file is string => file !== undefined);
      const members = [NODE_IN_IMAGE, ...libraries].map((file) => file.slice(1));
      // -h stores what the links point to, under the links' names.
      await importTar(docker, ['-h', '-C', '/', ...members, '-C', skeleton, 'tmp'], NODE_IMAGE);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Whether `file` needs shared libraries (ldd fails on a static executable). */
function isDynamic(file: string): boolean {
  try {
    execFileSync('ldd', [file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `tar -c <args>` piped into `docker import`, tagged `tag`. */
async function importTar(docker: Docker, tarArgs: readonly string[], tag: string): Promise<void> {
  const tar = spawn('tar', ['-c', ...tarArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let tarErrors = '';
  tar.stderr.on('data', (chunk: Buffer) => (tarErrors += chunk.toString()));
  const [repo, version] = tag.split(':');
  const progress = (await docker.importImage(tar.stdout, { repo, tag: version })) as unknown as Readable;
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(progress, (error: Error | null, events: { error?: string }[]) => {
      const failed = error?.message ?? events.find((event) => event.error)?.error;
      if (failed) reject(new Error(`docker import of ${tag} failed: ${failed}`));
      else resolve();
    });
  });
  const code = tar.exitCode ?? (await new Promise<number | null>((resolve) => tar.once('exit', resolve)));
  if (code !== 0) throw new Error(`tar for ${tag} failed (exit ${code}): ${tarErrors}`);
}

/** The suite runner's engine: started, images built, announced in `env`. */
export async function startDockerService(): Promise<{ readonly name: string; readonly env: Readonly<Record<string, string>>; stop(): Promise<void> }> {
  const daemon = await startDockerd();
  try {
    await buildTestImages(daemon.docker);
  } catch (error) {
    await daemon.stop();
    throw error;
  }
  return { name: 'dockerd', env: { [TEST_DOCKER_HOST_ENV]: daemon.host }, stop: () => daemon.stop() };
}

/** An engine a test file can use, with the test images on it. */
export interface TestDocker {
  readonly socketPath: string;
  readonly docker: Docker;
}

/**
 * The suite runner's engine when WHARF_TEST_DOCKER_HOST is set; otherwise a private engine for
 * this file, stopped after `scope`. Throws (the test fails) when no engine can be had.
 */
export async function useDocker(scope: CleanupScope): Promise<TestDocker> {
  const host = process.env[TEST_DOCKER_HOST_ENV];
  if (host) {
    if (!host.startsWith('unix://')) throw new Error(`${TEST_DOCKER_HOST_ENV}=${host}: only unix:// sockets are supported`);
    const socketPath = host.slice('unix://'.length);
    const docker = new Docker({ socketPath });
    try {
      await docker.ping();
    } catch (error) {
      throw new Error(`${TEST_DOCKER_HOST_ENV}=${host} does not answer: ${(error as Error).message}`, { cause: error });
    }
    await buildTestImages(docker);
    return { socketPath, docker };
  }
  let daemon: TestDockerd;
  try {
    daemon = await startDockerd();
  } catch (error) {
    throw new Error(`Could not start a Docker Engine for the docker tests (they need one; they never skip): ${(error as Error).message}`, { cause: error });
  }
  scope.after(() => daemon.stop());
  await buildTestImages(daemon.docker);
  return { socketPath: daemon.socketPath, docker: daemon.docker };
}
