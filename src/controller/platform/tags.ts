/**
 * Elastic Beanstalk's tags (ListTagsForResource, UpdateTagsForResource) on the four kinds EB tags,
 * named by ARN: `application/<name>`, `applicationversion/<application>/<label>`,
 * `environment/<application>/<name>` (a live environment) and `configurationtemplate/<application>/<name>`.
 * Tags live in each record (its JSON document in the store): environments have kept theirs since
 * CreateEnvironment; applications, versions and saved configurations keep their Create call's Tags
 * and what UpdateTagsForResource sets.
 */
import { wharfError } from '../../model/errors.js';
import type { EnvironmentRecord } from '../../model/platform.js';
import type { ListTagsForResourceRequest, UpdateTagsForResourceRequest } from '../../model/api/platform.js';
import type { Repositories } from '../../store/store.js';
import type { RequestMeta } from '../request.js';
import type { PlatformContext } from './context.js';

/** Most tags on an application, version or saved configuration (EB's). */
export const MAX_TAGS = 50;
/** Most tags on an environment: EB keeps 3 of the 50 for itself (as CreateEnvironment's Tags allow 47). */
export const MAX_ENVIRONMENT_TAGS = 47;
/** How often a tag change on an environment is tried again when the runner wrote it meanwhile. */
const ENVIRONMENT_RETRIES = 5;

type Tagged =
  | { readonly kind: 'application'; readonly application: string }
  | { readonly kind: 'applicationversion'; readonly application: string; readonly label: string }
  | { readonly kind: 'environment'; readonly application: string; readonly environment: string }
  | { readonly kind: 'configurationtemplate'; readonly application: string; readonly template: string };

const KIND_NAMES: Readonly<Record<Tagged['kind'], string>> = {
  application: 'application',
  applicationversion: 'application version',
  environment: 'environment',
  configurationtemplate: 'saved configuration',
};

/** What an ARN names, or the error that says why it names nothing taggable. */
function parseResourceArn(ctx: Pick<PlatformContext, 'arnScope'>, resourceArn: string): Tagged {
  const shown = resourceArn.slice(0, 300);
  const parts = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(resourceArn);
  if (!parts) {
    throw wharfError('WHARF_E_VALIDATION', { summary: `ResourceArn: ${shown} is not an ARN` }, { errors: [{ field: 'ResourceArn', message: 'not an ARN (arn:wharf:elasticbeanstalk:<region>:<account>:application/<name>, …)' }] });
  }
  const [, , service, region, account, resource = ''] = parts;
  const notSupported = (kind: string) => wharfError('WHARF_E_RESOURCE_TYPE_NOT_SUPPORTED', { arn: shown, kind });
  if (service !== 'elasticbeanstalk') throw notSupported(`a resource of ${service}`);
  const [type = '', ...names] = resource.split('/');
  if (type === 'platform' || type === 'solutionstack') throw notSupported('a platform');
  const notFound = (kind: string) => wharfError('WHARF_E_RESOURCE_NOT_FOUND', { kind, arn: shown, fix: 'Check the ARN: DescribeApplications, DescribeApplicationVersions, DescribeEnvironments and DescribeConfigurationSettings answer the names it is made of.' });
  const known = type in KIND_NAMES ? (type as Tagged['kind']) : undefined;
  if (!known) throw notSupported(`"${type.slice(0, 40)}"`);
  // Another region's or account's resource is none of this controller's.
  if (region !== ctx.arnScope.region || account !== ctx.arnScope.accountId) throw notFound(KIND_NAMES[known]);
  const [application, second] = names;
  const wantedParts = known === 'application' ? 1 : 2;
  if (names.length !== wantedParts || !application || (wantedParts === 2 && !second)) throw notFound(KIND_NAMES[known]);
  switch (known) {
    case 'application':
      return { kind: known, application };
    case 'applicationversion':
      return { kind: known, application, label: second! };
    case 'environment':
      return { kind: known, application, environment: second! };
    case 'configurationtemplate':
      return { kind: known, application, template: second! };
  }
}

function notFound(resourceArn: string, kind: Tagged['kind']) {
  return wharfError('WHARF_E_RESOURCE_NOT_FOUND', { kind: KIND_NAMES[kind], arn: resourceArn.slice(0, 300), fix: 'It may have been deleted, or the name is misspelt.' });
}

async function liveEnvironment(repos: Pick<Repositories, 'platform'>, target: Extract<Tagged, { kind: 'environment' }>): Promise<EnvironmentRecord | undefined> {
  const found = await repos.platform.findLiveEnvironment({ environmentName: target.environment });
  return found && found.applicationName === target.application ? found : undefined;
}

/** The tags of what the ARN names now, or WHARF_E_RESOURCE_NOT_FOUND. */
async function currentTags(repos: Pick<Repositories, 'platform'>, target: Tagged, resourceArn: string): Promise<Readonly<Record<string, string>>> {
  const found =
    target.kind === 'application'
      ? await repos.platform.getApplication(target.application)
      : target.kind === 'applicationversion'
        ? await repos.platform.getVersion(target.application, target.label)
        : target.kind === 'configurationtemplate'
          ? await repos.platform.getTemplate(target.application, target.template)
          : await liveEnvironment(repos, target);
  if (!found) throw notFound(resourceArn, target.kind);
  return found.tags ?? {};
}

const asList = (tags: Readonly<Record<string, string>>) =>
  Object.entries(tags)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([Key, Value]) => ({ Key, Value }));

/** ListTagsForResource. */
export async function listTagsForResource(ctx: PlatformContext, request: ListTagsForResourceRequest) {
  const target = parseResourceArn(ctx, request.ResourceArn);
  return { ResourceArn: request.ResourceArn, ResourceTags: asList(await currentTags(ctx.store, target, request.ResourceArn)) };
}

/** The tags after a change: TagsToRemove go, then TagsToAdd are set (a key given again takes the new value). */
function changed(tags: Readonly<Record<string, string>>, request: UpdateTagsForResourceRequest, target: Tagged): Record<string, string> {
  const next: Record<string, string> = { ...tags };
  for (const key of request.TagsToRemove ?? []) delete next[key];
  for (const { Key, Value } of request.TagsToAdd ?? []) next[Key] = Value;
  const limit = target.kind === 'environment' ? MAX_ENVIRONMENT_TAGS : MAX_TAGS;
  const count = Object.keys(next).length;
  if (count > limit) throw wharfError('WHARF_E_TOO_MANY_TAGS', { kind: KIND_NAMES[target.kind], arn: request.ResourceArn.slice(0, 300), count, limit });
  return next;
}

/**
 * UpdateTagsForResource: removes TagsToRemove, then sets TagsToAdd, in one write (all or nothing).
 * An environment's record is also written by its runner: the change is made again on the newer
 * record when the runner wrote in between (compare-and-set), so tags never undo its progress.
 */
export async function updateTagsForResource(ctx: PlatformContext, request: UpdateTagsForResourceRequest, meta: RequestMeta): Promise<Record<string, never>> {
  const target = parseResourceArn(ctx, request.ResourceArn);
  if (target.kind === 'environment') {
    for (let attempt = 0; attempt < ENVIRONMENT_RETRIES; attempt++) {
      const current = await liveEnvironment(ctx.store, target);
      if (!current) throw notFound(request.ResourceArn, target.kind);
      const next: EnvironmentRecord = { ...current, tags: changed(current.tags, request, target), updatedAt: meta.now, version: current.version + 1 };
      if (await ctx.store.platform.replaceEnvironment(next)) return {};
    }
    throw wharfError('WHARF_E_OPERATION_IN_PROGRESS', { environment: target.environment, status: 'changing', operation: 'another change' });
  }
  await ctx.store.transaction(async (tx) => {
    const tags = changed(await currentTags(tx, target, request.ResourceArn), request, target);
    if (target.kind === 'application') {
      const found = (await tx.platform.getApplication(target.application))!;
      await tx.platform.replaceApplication({ ...found, tags });
    } else if (target.kind === 'applicationversion') {
      const found = (await tx.platform.getVersion(target.application, target.label))!;
      await tx.platform.replaceVersion({ ...found, tags });
    } else {
      const found = (await tx.platform.getTemplate(target.application, target.template))!;
      await tx.platform.putTemplate({ ...found, tags });
    }
  });
  return {};
}
