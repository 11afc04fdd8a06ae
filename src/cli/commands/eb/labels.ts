/**
 * Naming application versions as the EB CLI does: `app-<git short id>-<yymmdd_HHMMSS>` when the
 * project is a git repository with a commit, else `app-<yymmdd_HHMMSS>` (UTC); the description is
 * `-m`, else the last commit's subject, cut to EB's 200 characters.
 */

/** EB's limit on a version's description. */
export const MAX_DESCRIPTION = 200;
/** EB's limit on a version label. */
export const MAX_LABEL = 100;

const two = (n: number) => String(n).padStart(2, '0');

/** `yymmdd_HHMMSS` of `now`, in UTC. */
export function labelTimestamp(now: Date): string {
  return `${two(now.getUTCFullYear() % 100)}${two(now.getUTCMonth() + 1)}${two(now.getUTCDate())}_${two(now.getUTCHours())}${two(now.getUTCMinutes())}${two(now.getUTCSeconds())}`;
}

/** The label for a version packed at `now`, from a commit `gitShortId` when there is one. */
export function versionLabel(now: Date, gitShortId?: string): string {
  const id = gitShortId?.trim().replace(/[^A-Za-z0-9._-]/g, '');
  return (id ? `app-${id}-${labelTimestamp(now)}` : `app-${labelTimestamp(now)}`).slice(0, MAX_LABEL);
}

/** The version's description: the message given, else the commit subject, else none; at most 200 characters. */
export function versionDescription(message: string | undefined, commitSubject: string | undefined): string | undefined {
  const text = (message ?? commitSubject)?.trim();
  if (!text) return undefined;
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 3)}...`;
}
