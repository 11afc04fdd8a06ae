/**
 * Wharf's platforms as Elastic Beanstalk describes platforms: each runtime Wharf runs (Node.js,
 * Python, Docker) is one platform branch (`Node.js 20 running on Wharf`) with one platform version,
 * the runtime's own version as installed on the host (`20.20.2`), named by the ARN
 * `arn:wharf:elasticbeanstalk:<region>::platform/<branch>/<version>`. And the filters of
 * ListPlatformVersions (`PlatformFilter`: Type, Operator, Values) and ListPlatformBranches
 * (`SearchFilter`: Attribute, Operator, Values), applied as EB documents them. Pure: the versions
 * themselves are detected in `controller/platform/platforms.ts`.
 */
import type { PlatformName } from './platform.js';

/** The solution stacks Wharf answers with and takes (CreateEnvironment's SolutionStackName), one per platform. */
export const SOLUTION_STACK_NAMES: Readonly<Record<PlatformName, string>> = {
  nodejs: 'Node.js running on Wharf',
  python: 'Python running on Wharf',
  docker: 'Docker running on Wharf',
};

/** The SolutionStackName an environment or saved configuration answers with: EB's name it was made with, else Wharf's own. */
export function solutionStackNameOf(record: { readonly platform: PlatformName; readonly solutionStackName?: string | undefined }): string {
  return record.solutionStackName ?? SOLUTION_STACK_NAMES[record.platform];
}

/** What each platform is called in EB's terms (ListPlatformBranches' PlatformName, the category). */
export const PLATFORM_FAMILIES: Readonly<Record<PlatformName, string>> = { nodejs: 'Node.js', python: 'Python', docker: 'Docker' };

/** The bundle formats a version may come in (ListAvailableSolutionStacks' PermittedFileTypes). */
export const PERMITTED_FILE_TYPES: readonly string[] = ['zip', 'tar', 'tar.gz', 'tgz'];

/** EB names its own (not custom) platforms' owner so; tools (the EB CLI) filter on it. */
export const PLATFORM_OWNER = 'AWSElasticBeanstalk';

/** The tiers Wharf's environments may have (Worker is refused until its issue lands). */
export const SUPPORTED_TIERS: readonly string[] = ['WebServer/Standard'];
/** Logs to the EB bucket (RequestEnvironmentInfo) and enhanced health. */
export const SUPPORTED_ADDONS: readonly string[] = ['Log/S3', 'Monitoring/Healthd'];

/** One platform version as detected on the host. */
export interface PlatformVersionInfo {
  readonly platform: PlatformName;
  /** The runtime's version as installed (`20.20.2`, `3.11.7`, the Docker Engine's `28.2.2`). */
  readonly version: string;
  /** The host's operating system (`/etc/os-release`). */
  readonly operatingSystem: { readonly name: string; readonly version: string };
}

/** The branch a platform version belongs to: `Node.js 20 running on Wharf` (the runtime's major version). */
export function branchNameOf(info: Pick<PlatformVersionInfo, 'platform' | 'version'>): string {
  const major = info.version.split('.')[0] ?? info.version;
  return `${PLATFORM_FAMILIES[info.platform]} ${major} running on Wharf`;
}

/** `arn:wharf:elasticbeanstalk:<region>::platform/<branch>/<version>` (platform ARNs name no account, as EB's). */
export function platformArnOf(region: string, info: Pick<PlatformVersionInfo, 'platform' | 'version'>): string {
  return `arn:wharf:elasticbeanstalk:${region}::platform/${branchNameOf(info)}/${info.version}`;
}

/** EB's PlatformSummary. */
export interface PlatformSummaryView {
  PlatformArn: string;
  PlatformOwner: string;
  PlatformStatus: 'Ready';
  PlatformCategory: string;
  OperatingSystemName: string;
  OperatingSystemVersion: string;
  SupportedTierList: string[];
  SupportedAddonList: string[];
  PlatformLifecycleState: string;
  PlatformVersion: string;
  PlatformBranchName: string;
  PlatformBranchLifecycleState: string;
}

/** EB's PlatformSummary of a detected version. */
export function platformSummary(region: string, info: PlatformVersionInfo): PlatformSummaryView {
  return {
    PlatformArn: platformArnOf(region, info),
    PlatformOwner: PLATFORM_OWNER,
    PlatformStatus: 'Ready',
    PlatformCategory: PLATFORM_FAMILIES[info.platform],
    OperatingSystemName: info.operatingSystem.name,
    OperatingSystemVersion: info.operatingSystem.version,
    SupportedTierList: [...SUPPORTED_TIERS],
    SupportedAddonList: [...SUPPORTED_ADDONS],
    // The one version of its branch is the newest: EB's "Recommended".
    PlatformLifecycleState: 'Recommended',
    PlatformVersion: info.version,
    PlatformBranchName: branchNameOf(info),
    PlatformBranchLifecycleState: 'Supported',
  };
}

/** EB's PlatformDescription of a detected version. */
export function platformDescription(region: string, info: PlatformVersionInfo) {
  const summary = platformSummary(region, info);
  const family = PLATFORM_FAMILIES[info.platform];
  const runs =
    info.platform === 'docker' ? 'a Dockerfile built by the Docker Engine on the host' : info.platform === 'nodejs' ? 'the host\'s Node.js (npm start, or the Procfile\'s web process)' : 'the host\'s Python in a virtualenv (the Procfile\'s web process, or application.py)';
  return {
    PlatformArn: summary.PlatformArn,
    PlatformOwner: summary.PlatformOwner,
    PlatformName: summary.PlatformBranchName,
    PlatformVersion: info.version,
    SolutionStackName: SOLUTION_STACK_NAMES[info.platform],
    PlatformStatus: summary.PlatformStatus,
    PlatformCategory: family,
    Description: `${family} ${info.version} on Wharf: ${runs}.`.slice(0, 200),
    Maintainer: 'Wharf',
    OperatingSystemName: summary.OperatingSystemName,
    OperatingSystemVersion: summary.OperatingSystemVersion,
    ProgrammingLanguages: info.platform === 'docker' ? [] : [{ Name: family, Version: info.version }],
    Frameworks: info.platform === 'docker' ? [{ Name: 'Docker', Version: info.version }] : [],
    SupportedTierList: summary.SupportedTierList,
    SupportedAddonList: summary.SupportedAddonList,
    PlatformLifecycleState: summary.PlatformLifecycleState,
    PlatformBranchName: summary.PlatformBranchName,
    PlatformBranchLifecycleState: summary.PlatformBranchLifecycleState,
  };
}

/** EB's PlatformBranchSummary. */
export function platformBranchSummary(info: PlatformVersionInfo, order: number) {
  return { PlatformName: PLATFORM_FAMILIES[info.platform], BranchName: branchNameOf(info), LifecycleState: 'Supported', BranchOrder: order, SupportedTierList: [...SUPPORTED_TIERS] };
}

// ── Filters ──────────────────────────────────────────────────────────────────────────────────

/** ListPlatformVersions' filter types (EB's PlatformFilter.Type). */
export const PLATFORM_FILTER_TYPES = [
  'PlatformName',
  'PlatformVersion',
  'PlatformStatus',
  'PlatformBranchName',
  'PlatformLifecycleState',
  'PlatformOwner',
  'SupportedTier',
  'SupportedAddon',
  'ProgrammingLanguageName',
  'OperatingSystemName',
] as const;
export type PlatformFilterType = (typeof PLATFORM_FILTER_TYPES)[number];

/** ListPlatformVersions' operators (EB's PlatformFilter.Operator). */
export const PLATFORM_FILTER_OPERATORS = ['=', '!=', '<', '<=', '>', '>=', 'contains', 'begins_with', 'ends_with'] as const;
export type PlatformFilterOperator = (typeof PLATFORM_FILTER_OPERATORS)[number];

/** A dotted version's order: numerically part by part (`20.9` < `20.10`), text parts as text. */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.');
  const right = b.split('.');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = left[i] ?? '0';
    const y = right[i] ?? '0';
    const order = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x.localeCompare(y);
    if (order !== 0) return Math.sign(order);
  }
  return 0;
}

/** Whether `value` passes `operator` with `wanted` (text compared as EB does: exactly; PlatformVersion orders as versions). */
function passes(value: string, operator: string, wanted: string, versions: boolean): boolean {
  switch (operator) {
    case '=':
      return value === wanted;
    case '!=':
      return value !== wanted;
    case 'contains':
      return value.includes(wanted);
    case 'begins_with':
      return value.startsWith(wanted);
    case 'ends_with':
      return value.endsWith(wanted);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const order = versions ? compareVersions(value, wanted) : value.localeCompare(wanted);
      return operator === '<' ? order < 0 : operator === '<=' ? order <= 0 : operator === '>' ? order > 0 : order >= 0;
    }
    default:
      return false;
  }
}

/** The values of a platform version a filter type reads (several for the list attributes). */
function platformValues(summary: PlatformSummaryView, info: PlatformVersionInfo, type: PlatformFilterType): string[] {
  switch (type) {
    case 'PlatformName':
      return [summary.PlatformBranchName];
    case 'PlatformVersion':
      return [summary.PlatformVersion];
    case 'PlatformStatus':
      return [summary.PlatformStatus];
    case 'PlatformBranchName':
      return [summary.PlatformBranchName];
    case 'PlatformLifecycleState':
      // EB's filter value is `recommended`; its answers say `Recommended`.
      return [summary.PlatformLifecycleState.toLowerCase()];
    case 'PlatformOwner':
      return [summary.PlatformOwner];
    case 'SupportedTier':
      return summary.SupportedTierList;
    case 'SupportedAddon':
      return summary.SupportedAddonList;
    case 'ProgrammingLanguageName':
      return info.platform === 'docker' ? [] : [PLATFORM_FAMILIES[info.platform]];
    case 'OperatingSystemName':
      return [summary.OperatingSystemName];
  }
}

export interface PlatformFilter {
  readonly Type: PlatformFilterType;
  readonly Operator: PlatformFilterOperator;
  readonly Values: readonly string[];
}

/**
 * Whether a platform version passes every filter. A list attribute (SupportedTier, …) passes `!=`
 * when none of its values equals the filter's, any other operator when one of them passes.
 */
export function matchesPlatformFilters(summary: PlatformSummaryView, info: PlatformVersionInfo, filters: readonly PlatformFilter[]): boolean {
  return filters.every((filter) => {
    const values = platformValues(summary, info, filter.Type);
    const wanted = filter.Type === 'PlatformLifecycleState' ? (filter.Values[0] ?? '').toLowerCase() : (filter.Values[0] ?? '');
    const versions = filter.Type === 'PlatformVersion';
    if (filter.Operator === '!=') return values.every((value) => value !== wanted);
    return values.some((value) => passes(value, filter.Operator, wanted, versions));
  });
}

/** ListPlatformBranches' filter attributes and the operators each takes (EB's SearchFilter for this action). */
export const BRANCH_FILTER_OPERATORS: Readonly<Record<string, readonly string[]>> = {
  BranchName: ['=', '!=', 'begins_with', 'ends_with', 'contains', 'in', 'not_in'],
  LifecycleState: ['=', '!=', 'in', 'not_in'],
  PlatformName: ['=', '!=', 'begins_with', 'ends_with', 'contains', 'in', 'not_in'],
  TierType: ['=', '!='],
};

export interface BranchFilter {
  readonly Attribute: string;
  readonly Operator: string;
  readonly Values: readonly string[];
}

/** Whether a platform branch passes every filter (`in` and `not_in` take several values, the others one). */
export function matchesBranchFilters(branch: ReturnType<typeof platformBranchSummary>, filters: readonly BranchFilter[]): boolean {
  return filters.every((filter) => {
    const values =
      filter.Attribute === 'BranchName' ? [branch.BranchName] : filter.Attribute === 'PlatformName' ? [branch.PlatformName] : filter.Attribute === 'LifecycleState' ? [branch.LifecycleState.toLowerCase()] : branch.SupportedTierList;
    const wanted = filter.Attribute === 'LifecycleState' ? filter.Values.map((v) => v.toLowerCase()) : filter.Values;
    if (filter.Operator === 'in') return values.some((value) => wanted.includes(value));
    if (filter.Operator === 'not_in' || filter.Operator === '!=') return values.every((value) => !wanted.includes(value));
    return values.some((value) => passes(value, filter.Operator, wanted[0] ?? '', false));
  });
}
