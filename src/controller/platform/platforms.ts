/**
 * Wharf's platforms as Elastic Beanstalk lists them (ListPlatformVersions, DescribePlatformVersion,
 * ListPlatformBranches, ListAvailableSolutionStacks): one platform version per runtime, its version
 * the runtime's as installed on this host, asked of the runtime itself (`node --version`,
 * `python3 --version`, the Docker Engine's version endpoint: the same `node`, `python3` and engine
 * that builds and runs versions). Docker is listed only while an engine answers. What was found
 * is kept for DETECTION_TTL_MS; the controller starts a detection when it starts, so environments'
 * PlatformArn names the detected version (`knownPlatformArn`).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { promisify } from 'node:util';
import { wharfError } from '../../model/errors.js';
import type { PlatformName } from '../../model/platform.js';
import type { BranchFilter, PlatformFilter, PlatformVersionInfo } from '../../model/platform-versions.js';
import {
  matchesBranchFilters,
  matchesPlatformFilters,
  PERMITTED_FILE_TYPES,
  platformArnOf,
  platformBranchSummary,
  platformDescription,
  platformSummary,
  SOLUTION_STACK_NAMES,
} from '../../model/platform-versions.js';
import type { DescribePlatformVersionRequest, ListPlatformBranchesRequest, ListPlatformVersionsRequest } from '../../model/api/platform.js';
import type { PlatformContext } from './context.js';

const run = promisify(execFile);

/** How long a detection's answer stands before the runtimes are asked again. */
export const DETECTION_TTL_MS = 5 * 60_000;
/** How long a runtime (or the Docker Engine) may take to say its version. */
export const DETECTION_TIMEOUT_MS = 5_000;

/** A runtime's version from its `--version` output (`v20.20.2`, `Python 3.11.7`). */
export function versionIn(output: string): string | undefined {
  return /(\d+(?:\.\d+)+)/.exec(output)?.[1];
}

async function commandVersion(command: string): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await run(command, ['--version'], { timeout: DETECTION_TIMEOUT_MS });
    return versionIn(`${stdout}${stderr}`);
  } catch {
    return undefined;
  }
}

async function engineVersion(ctx: Pick<PlatformContext, 'docker'>): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), DETECTION_TIMEOUT_MS)));
    const answer = await Promise.race([ctx.docker().version(), timeout]);
    return answer?.Version;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** The host's operating system as `/etc/os-release` names it (else the kernel's). */
async function operatingSystem(): Promise<{ name: string; version: string }> {
  try {
    const text = await readFile('/etc/os-release', 'utf8');
    const value = (key: string) => new RegExp(`^${key}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1];
    const name = value('NAME');
    if (name) return { name, version: value('VERSION_ID') ?? '' };
  } catch {
    // no os-release: the kernel's names below
  }
  return { name: os.type(), version: os.release() };
}

let detected: { at: number; versions: Promise<readonly PlatformVersionInfo[]> } | undefined;
const lastKnown = new Map<PlatformName, PlatformVersionInfo>();

async function detect(ctx: Pick<PlatformContext, 'docker'>): Promise<readonly PlatformVersionInfo[]> {
  const [node, python, docker, system] = await Promise.all([commandVersion('node'), commandVersion('python3'), engineVersion(ctx), operatingSystem()]);
  const found: PlatformVersionInfo[] = [];
  const add = (platform: PlatformName, version: string | undefined) => {
    if (version !== undefined) found.push({ platform, version, operatingSystem: system });
  };
  add('nodejs', node);
  add('python', python);
  add('docker', docker);
  lastKnown.clear();
  for (const info of found) lastKnown.set(info.platform, info);
  return found;
}

/** The platform versions this host has now (asked again once DETECTION_TTL_MS has passed). */
export function platformVersions(ctx: Pick<PlatformContext, 'docker'>, now = Date.now()): Promise<readonly PlatformVersionInfo[]> {
  if (!detected || now - detected.at > DETECTION_TTL_MS) detected = { at: now, versions: detect(ctx) };
  return detected.versions;
}

/**
 * The ARN of a platform's version as last detected; before the first detection has finished,
 * the version-less ARN Wharf answered before it detected versions (`…/platform/nodejs/1`).
 */
export function knownPlatformArn(region: string, platform: PlatformName): string {
  const info = lastKnown.get(platform);
  return info ? platformArnOf(region, info) : `arn:wharf:elasticbeanstalk:${region}::platform/${platform}/1`;
}

/** One page of `items` from a NextToken (an offset a previous page returned). */
function page<T>(items: readonly T[], maxRecords: number | undefined, nextToken: string | undefined): { items: T[]; NextToken?: string } {
  const start = nextToken === undefined ? 0 : Number(nextToken);
  const end = maxRecords === undefined ? items.length : start + maxRecords;
  return { items: items.slice(start, end), ...(end < items.length ? { NextToken: String(end) } : {}) };
}

/** ListPlatformVersions: the detected versions that pass every filter. */
export async function listPlatformVersions(ctx: PlatformContext, request: ListPlatformVersionsRequest) {
  const versions = await platformVersions(ctx);
  const filters: readonly PlatformFilter[] = request.Filters ?? [];
  const wanted = versions.map((info) => ({ info, summary: platformSummary(ctx.arnScope.region, info) })).filter(({ info, summary }) => matchesPlatformFilters(summary, info, filters));
  const { items, NextToken } = page(wanted, request.MaxRecords, request.NextToken);
  return { PlatformSummaryList: items.map((v) => v.summary), ...(NextToken ? { NextToken } : {}) };
}

/** DescribePlatformVersion: the version its ARN names (ListPlatformVersions' ARNs). */
export async function describePlatformVersion(ctx: PlatformContext, request: DescribePlatformVersionRequest) {
  const versions = await platformVersions(ctx);
  const found = versions.find((info) => platformArnOf(ctx.arnScope.region, info) === request.PlatformArn);
  if (!found) {
    const known = versions.map((info) => platformArnOf(ctx.arnScope.region, info));
    throw wharfError(
      'WHARF_E_VALIDATION',
      { summary: `PlatformArn: no platform version has the ARN ${request.PlatformArn.slice(0, 200)}` },
      { errors: [{ field: 'PlatformArn', message: `not a platform version of this host; ListPlatformVersions lists them (${known.join(', ') || 'none detected'})` }] },
    );
  }
  return { PlatformDescription: platformDescription(ctx.arnScope.region, found) };
}

/** ListPlatformBranches: one branch per detected platform (its runtime's major version), filtered. */
export async function listPlatformBranches(ctx: PlatformContext, request: ListPlatformBranchesRequest) {
  const versions = await platformVersions(ctx);
  const filters: readonly BranchFilter[] = request.Filters ?? [];
  const branches = versions.map((info, index) => platformBranchSummary(info, index + 1)).filter((branch) => matchesBranchFilters(branch, filters));
  const { items, NextToken } = page(branches, request.MaxRecords, request.NextToken);
  return { PlatformBranchSummaryList: items, ...(NextToken ? { NextToken } : {}) };
}

/** ListAvailableSolutionStacks: the names CreateEnvironment takes as SolutionStackName, and the bundle formats each takes. */
export function listAvailableSolutionStacks() {
  const names = Object.values(SOLUTION_STACK_NAMES);
  return { SolutionStacks: names, SolutionStackDetails: names.map((SolutionStackName) => ({ SolutionStackName, PermittedFileTypes: [...PERMITTED_FILE_TYPES] })) };
}
