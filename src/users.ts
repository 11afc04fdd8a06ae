/**
 * The host's users, as the parts that hand work to one need them: the agent runs tasks as an
 * unprivileged user, and the controller hands an Elastic Beanstalk version's built folder to that
 * user (as Elastic Beanstalk hands `/var/app/current` to `webapp`).
 */
import { chmodSync, chownSync, lchownSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The user tasks run as when their definition names none and the agent runs as root
 * (`WHARF_TASK_USER`); `scripts/install-deps.sh` creates it, with no login and no home.
 */
export const DEFAULT_TASK_USER = 'wharf-task';

/** A host user's ids, and the name it was asked for by. */
export interface HostUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** True when this process runs as root (and so may start processes as any user). */
export function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * `user`, `user:group`, `uid` or `uid:gid` (as a task definition's `user`) → ids, from /etc/passwd
 * and /etc/group; a name the host does not know is an error saying so. A bare uid the host does not
 * know runs with its own number as its group, as Docker does.
 */
export function lookupUser(user: string): HostUser | { readonly error: string } {
  const [name = '', group] = user.split(':');
  const numeric = /^\d+$/.test(name);
  const entry = readColonFile('/etc/passwd').find((fields) => (numeric ? fields[2] === name : fields[0] === name));
  const uid = numeric ? Number(name) : entry ? Number(entry[2]) : undefined;
  if (uid === undefined) return { error: `user "${name}" does not exist on this host` };
  let gid = entry ? Number(entry[3]) : uid;
  if (group !== undefined) {
    const groupEntry = readColonFile('/etc/group').find((fields) => fields[0] === group || fields[2] === group);
    if (/^\d+$/.test(group)) gid = Number(group);
    else if (groupEntry) gid = Number(groupEntry[2]);
    else return { error: `group "${group}" does not exist on this host` };
  }
  return { name: user, uid, gid };
}

/**
 * Lets other users reach `dir`: `dir` and every parent up to `/` that lacks it gets search
 * permission (x) for group and others. Search only: they cannot list these folders, and the files
 * in them keep their modes. Returns the folders it changed, for the caller to say so (a data folder
 * under `/root` makes `/root` searchable).
 */
export function allowTraversal(dir: string): string[] {
  const changed: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    const mode = statSync(d).mode & 0o777;
    if ((mode & 0o011) !== 0o011) {
      chmodSync(d, mode | 0o011);
      changed.push(d);
    }
    if (path.dirname(d) === d) return changed;
  }
}

/**
 * Hands the folder `dir` and everything in it to `user` (owner and group), and lets it reach `dir`
 * (`allowTraversal` of the parent, whose changed folders it returns). Symbolic links are changed
 * themselves, never followed.
 */
export function handOver(dir: string, user: HostUser): string[] {
  const walk = (entry: string): void => {
    const stats = lstatSync(entry);
    if (stats.isSymbolicLink()) {
      lchownSync(entry, user.uid, user.gid);
      return;
    }
    chownSync(entry, user.uid, user.gid);
    if (stats.isDirectory()) for (const name of readdirSync(entry)) walk(path.join(entry, name));
  };
  walk(dir);
  return allowTraversal(path.dirname(dir));
}

function readColonFile(file: string): string[][] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.split(':'));
  } catch {
    return [];
  }
}
