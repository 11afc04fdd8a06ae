/**
 * Applications and application versions (Elastic Beanstalk's CreateApplication,
 * DescribeApplications, UpdateApplication, DeleteApplication, CreateApplicationVersion,
 * DescribeApplicationVersions, DeleteApplicationVersion), in EB's PascalCase JSON shapes.
 *
 * A version is processed when it is created: its bundle (already in the artifact store) is
 * extracted safely, its platform detected, its `.ebextensions` and `env.yaml` read and validated.
 * Any problem refuses the version and leaves nothing behind.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { arn } from '../../model/arn.js';
import { wharfError, WharfError } from '../../model/errors.js';
import type { ApplicationRecord, ApplicationVersionRecord, EnvironmentManifest, PlatformName } from '../../model/platform.js';
import type { RequestMeta } from '../request.js';
import { storageLocationBucket } from '../../model/api/aws/s3.js';
import { ensureBucket } from './buckets.js';
import { detectPlatform } from './build/detect.js';
import { extractBundle } from './bundles/extract.js';
import type { PlatformContext } from './context.js';
import { applicationEvent, versionDir } from './context.js';
import { readEbextensions } from './options/ebextensions.js';
import { parseEnvYaml } from './options/env-yaml.js';
import { configurationError } from './options/messages.js';
import { readOptionalText } from '../../files.js';
import type {
  ApplicationVersionView,
  ApplicationView,
  CreateApplicationRequest,
  CreateApplicationVersionRequest,
  DeleteApplicationRequest,
  DeleteApplicationVersionRequest,
  DescribeApplicationVersionsRequest,
  DescribeApplicationsRequest,
  UpdateApplicationRequest,
  UpdateApplicationVersionRequest,
} from '../../model/api/platform.js';

/**
 * CreateStorageLocation: the account's Elastic Beanstalk bucket (`elasticbeanstalk-<region>-<account>`),
 * created when it does not exist yet, as EB does.
 */
export async function createStorageLocation(ctx: PlatformContext, meta: RequestMeta): Promise<{ S3Bucket: string }> {
  const bucket = await ensureBucket(ctx, storageLocationBucket(ctx.arnScope.region, ctx.arnScope.accountId), meta);
  return { S3Bucket: bucket.bucketName };
}

/** The bucket name uploads answer with (Wharf's artifact store stands where EB's S3 bucket does). */
export const ARTIFACT_BUCKET = 'wharf-artifacts';
const iso = (ms: number) => new Date(ms).toISOString();

/** The application, or WHARF_E_APPLICATION_NOT_FOUND. */
export async function requireApplication(ctx: Pick<PlatformContext, 'store'>, applicationName: string): Promise<ApplicationRecord> {
  const found = await ctx.store.platform.getApplication(applicationName);
  if (!found) throw wharfError('WHARF_E_APPLICATION_NOT_FOUND', { application: applicationName });
  return found;
}

/** The version, or WHARF_E_VERSION_NOT_FOUND. */
export async function requireVersion(ctx: Pick<PlatformContext, 'store'>, applicationName: string, versionLabel: string): Promise<ApplicationVersionRecord> {
  const found = await ctx.store.platform.getVersion(applicationName, versionLabel);
  if (!found) throw wharfError('WHARF_E_VERSION_NOT_FOUND', { application: applicationName, versionLabel });
  return found;
}

async function applicationView(ctx: PlatformContext, a: ApplicationRecord): Promise<ApplicationView> {
  const [versions, templates] = await Promise.all([ctx.store.platform.listVersions(a.applicationName), ctx.store.platform.listTemplates(a.applicationName)]);
  return {
    ApplicationName: a.applicationName,
    ApplicationArn: arn(ctx.arnScope, 'elasticbeanstalk', `application/${a.applicationName}`),
    Description: a.description,
    DateCreated: iso(a.createdAt),
    DateUpdated: iso(a.updatedAt),
    Versions: versions.map((v) => v.versionLabel),
    ConfigurationTemplates: templates.map((t) => t.templateName),
  };
}

/** EB's ApplicationVersionDescription for a version. */
export function versionView(ctx: Pick<PlatformContext, 'arnScope'>, v: ApplicationVersionRecord): ApplicationVersionView {
  return {
    ApplicationName: v.applicationName,
    ApplicationVersionArn: arn(ctx.arnScope, 'elasticbeanstalk', `applicationversion/${v.applicationName}/${v.versionLabel}`),
    VersionLabel: v.versionLabel,
    Description: v.description,
    SourceBundle: v.sourceBundle.s3Bucket !== undefined && v.sourceBundle.s3Key !== undefined ? { S3Bucket: v.sourceBundle.s3Bucket, S3Key: v.sourceBundle.s3Key } : { S3Bucket: ARTIFACT_BUCKET, S3Key: v.sourceBundle.sha256 },
    Status: v.status,
    DateCreated: iso(v.createdAt),
    DateUpdated: iso(v.updatedAt),
    Platform: v.platform,
    SourceBundleFormat: v.sourceBundle.format,
    SourceBundleSize: v.sourceBundle.size,
  };
}

/** CreateApplication. */
export async function createApplication(ctx: PlatformContext, request: CreateApplicationRequest, meta: RequestMeta): Promise<{ Application: ApplicationView }> {
  const record: ApplicationRecord = { applicationName: request.ApplicationName, description: request.Description ?? '', ...tagsOf(request.Tags), createdAt: meta.now, updatedAt: meta.now };
  await ctx.store.transaction(async (tx) => {
    if (await tx.platform.getApplication(record.applicationName)) throw wharfError('WHARF_E_APPLICATION_EXISTS', { application: record.applicationName });
    await tx.platform.insertApplication(record);
    await applicationEvent(tx, record.applicationName, `createApplication completed successfully.`, meta);
  });
  return { Application: await applicationView(ctx, record) };
}

/** UpdateApplication: its description. */
export async function updateApplication(ctx: PlatformContext, request: UpdateApplicationRequest, meta: RequestMeta): Promise<{ Application: ApplicationView }> {
  const next = await ctx.store.transaction(async (tx) => {
    const current = await tx.platform.getApplication(request.ApplicationName);
    if (!current) throw wharfError('WHARF_E_APPLICATION_NOT_FOUND', { application: request.ApplicationName });
    const updated = { ...current, description: request.Description ?? current.description, updatedAt: meta.now };
    await tx.platform.replaceApplication(updated);
    return updated;
  });
  return { Application: await applicationView(ctx, next) };
}

/** DescribeApplications: every application, or those named. */
export async function describeApplications(ctx: PlatformContext, request: DescribeApplicationsRequest): Promise<{ Applications: ApplicationView[] }> {
  const all = await ctx.store.platform.listApplications();
  const wanted = request.ApplicationNames ? all.filter((a) => request.ApplicationNames!.includes(a.applicationName)) : all;
  return { Applications: await Promise.all(wanted.map((a) => applicationView(ctx, a))) };
}

/**
 * DeleteApplication: refused while it has live environments unless TerminateEnvByForce (then the
 * caller terminates them first; see environments.ts). Removes its versions (bundles stay in the
 * artifact store when another version uses them), saved configurations and their folders.
 */
export async function deleteApplication(ctx: PlatformContext, request: DeleteApplicationRequest, meta: RequestMeta): Promise<Record<string, never>> {
  const versions = await ctx.store.transaction(async (tx) => {
    await requireApplicationIn(tx, request.ApplicationName);
    const live = await tx.platform.listEnvironments({ applicationName: request.ApplicationName });
    if (live.length > 0) throw wharfError('WHARF_E_APPLICATION_IN_USE', { application: request.ApplicationName, count: live.length });
    const owned = await tx.platform.listVersions(request.ApplicationName);
    for (const v of owned) await tx.platform.deleteVersion(v.applicationName, v.versionLabel);
    for (const t of await tx.platform.listTemplates(request.ApplicationName)) await tx.platform.deleteTemplate(t.applicationName, t.templateName);
    await tx.platform.deleteApplication(request.ApplicationName);
    await applicationEvent(tx, request.ApplicationName, 'deleteApplication completed successfully.', meta);
    return owned;
  });
  for (const v of versions) await removeVersionFiles(ctx, v, true);
  return {};
}

async function requireApplicationIn(tx: Parameters<Parameters<PlatformContext['store']['transaction']>[0]>[0], name: string): Promise<ApplicationRecord> {
  const found = await tx.platform.getApplication(name);
  if (!found) throw wharfError('WHARF_E_APPLICATION_NOT_FOUND', { application: name });
  return found;
}

/** The artifact a SourceBundle names: `S3Key` is the SHA-256 the upload answered with. */
function bundleKey(sourceBundle: { S3Bucket: string; S3Key: string }): string {
  const key = sourceBundle.S3Key.replace(/^bundles\//, '').replace(/\.(zip|tar|tar\.gz|tgz)$/, '');
  if (!/^[0-9a-f]{64}$/.test(key)) throw wharfError('WHARF_E_SOURCE_BUNDLE_NOT_FOUND', { bucket: sourceBundle.S3Bucket, key: sourceBundle.S3Key });
  return key;
}

/**
 * The artifact a SourceBundle names: in the upload bucket (`wharf-artifacts`) the key is the
 * bundle's SHA-256; in any other bucket it is an S3 object's key, resolved to its content.
 */
async function sourceBundleContent(ctx: PlatformContext, sourceBundle: { S3Bucket: string; S3Key: string }): Promise<string> {
  const notFound = () => wharfError('WHARF_E_SOURCE_BUNDLE_NOT_FOUND', { bucket: sourceBundle.S3Bucket, key: sourceBundle.S3Key });
  const sha256 = sourceBundle.S3Bucket === ARTIFACT_BUCKET ? bundleKey(sourceBundle) : (await ctx.store.s3.getObject(sourceBundle.S3Bucket, sourceBundle.S3Key))?.sha256;
  if (sha256 === undefined || !(await ctx.artifacts.has(sha256))) throw notFound();
  return sha256;
}

/** What processing a bundle finds in it; throws (and removes `dest`) when the bundle is not usable. */
async function processBundle(file: string, dest: string): Promise<{ format: 'zip' | 'tar' | 'tar.gz'; platform: PlatformName; ebextensions: ApplicationVersionRecord['ebextensions']; manifest: EnvironmentManifest | null }> {
  const { format } = await extractBundle(file, dest);
  try {
    const { platform } = await detectPlatform(dest);
    const ebextensions = await readEbextensions(dest);
    // readEbextensions checks each setting and each file; the rules between settings wait for an environment's layers.
    if (ebextensions.errors.length > 0) throw configurationError(ebextensions.errors);
    // Each keeps its file, so that a rule between settings broken at deploy time names it.
    const settings = ebextensions.optionSettings.map(({ Namespace, OptionName, Value, ResourceName, file }) => ({ Namespace, OptionName, Value, ...(ResourceName ? { ResourceName } : {}), file }));
    const manifestText = await readOptionalText(path.join(dest, 'env.yaml'));
    const manifest = manifestText === undefined ? null : manifestFrom(parseEnvYaml(manifestText));
    return { format, platform, ebextensions: settings, manifest };
  } catch (error) {
    await rm(dest, { recursive: true, force: true });
    throw error;
  }
}

function manifestFrom(parsed: ReturnType<typeof parseEnvYaml>): EnvironmentManifest {
  if ('errors' in parsed) throw configurationError(parsed.errors.map((message) => ({ file: 'env.yaml', message })));
  return parsed.manifest;
}

/**
 * CreateApplicationVersion: takes an uploaded bundle, extracts and validates it (see the file
 * comment), and records the version as Processed. A label is unique within its application.
 */
export async function createApplicationVersion(ctx: PlatformContext, request: CreateApplicationVersionRequest, meta: RequestMeta): Promise<{ ApplicationVersion: ApplicationVersionView }> {
  const { ApplicationName: app, VersionLabel: label } = request;
  if (!request.AutoCreateApplication) await requireApplication(ctx, app);
  if (await ctx.store.platform.getVersion(app, label)) throw wharfError('WHARF_E_VERSION_EXISTS', { application: app, versionLabel: label });
  const sha256 = await sourceBundleContent(ctx, request.SourceBundle);
  const size = (await ctx.artifacts.list()).find((a) => a.sha256 === sha256)?.size ?? 0;

  const dir = versionDir(ctx.root, app, label);
  const staging = `${dir}.tmp-${randomBytes(6).toString('hex')}`;
  let processed: Awaited<ReturnType<typeof processBundle>>;
  try {
    processed = await processBundle(ctx.artifacts.path(sha256), path.join(staging, 'source'));
  } catch (error) {
    // A refused bundle leaves nothing behind: not its staging folder either.
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  const record: ApplicationVersionRecord = {
    applicationName: app,
    versionLabel: label,
    description: request.Description ?? '',
    sourceBundle: { sha256, size, format: processed.format, ...(request.SourceBundle.S3Bucket === ARTIFACT_BUCKET ? {} : { s3Bucket: request.SourceBundle.S3Bucket, s3Key: request.SourceBundle.S3Key }) },
    platform: processed.platform,
    ebextensions: processed.ebextensions,
    manifest: processed.manifest,
    status: 'Processed',
    ...tagsOf(request.Tags),
    createdAt: meta.now,
    updatedAt: meta.now,
  };
  try {
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
    await ctx.store.transaction(async (tx) => {
      if (!(await tx.platform.getApplication(app))) {
        if (!request.AutoCreateApplication) throw wharfError('WHARF_E_APPLICATION_NOT_FOUND', { application: app });
        await tx.platform.insertApplication({ applicationName: app, description: '', createdAt: meta.now, updatedAt: meta.now });
      }
      if (await tx.platform.getVersion(app, label)) throw wharfError('WHARF_E_VERSION_EXISTS', { application: app, versionLabel: label });
      await tx.platform.insertVersion(record);
      await applicationEvent(tx, app, `Created a new application version: ${label} (${processed.platform}).`, { ...meta, versionLabel: label });
    });
  } catch (error) {
    // Only this request's folder goes; a version that won the race keeps its own (same path, so
    // check the record before removing).
    await rm(staging, { recursive: true, force: true });
    if (!(error instanceof WharfError && error.code === 'WHARF_E_VERSION_EXISTS')) await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { ApplicationVersion: versionView(ctx, record) };
}

/** Tags given as EB's list, as a record keeps them (nothing when none were given). */
export function tagsOf(tags: readonly { Key: string; Value: string }[] | undefined): { tags?: Record<string, string> } {
  return tags && tags.length > 0 ? { tags: Object.fromEntries(tags.map((t) => [t.Key, t.Value])) } : {};
}

/** UpdateApplicationVersion: its description. */
export async function updateApplicationVersion(ctx: PlatformContext, request: UpdateApplicationVersionRequest, meta: RequestMeta): Promise<{ ApplicationVersion: ApplicationVersionView }> {
  const next = await ctx.store.transaction(async (tx) => {
    const current = await tx.platform.getVersion(request.ApplicationName, request.VersionLabel);
    if (!current) throw wharfError('WHARF_E_VERSION_NOT_FOUND', { application: request.ApplicationName, versionLabel: request.VersionLabel });
    const updated: ApplicationVersionRecord = { ...current, description: request.Description ?? current.description, updatedAt: meta.now };
    await tx.platform.replaceVersion(updated);
    return updated;
  });
  return { ApplicationVersion: versionView(ctx, next) };
}

/** DescribeApplicationVersions: newest first, filtered by application and labels. */
export async function describeApplicationVersions(ctx: PlatformContext, request: DescribeApplicationVersionsRequest): Promise<{ ApplicationVersions: ApplicationVersionView[] }> {
  const all = await ctx.store.platform.listVersions(request.ApplicationName);
  const wanted = request.VersionLabels ? all.filter((v) => request.VersionLabels!.includes(v.versionLabel)) : all;
  return { ApplicationVersions: wanted.slice(0, request.MaxRecords ?? 1000).map((v) => versionView(ctx, v)) };
}

/**
 * DeleteApplicationVersion: refused while a live environment runs it or is deploying it. With
 * DeleteSourceBundle the bundle leaves the artifact store too, unless another version uses it.
 */
export async function deleteApplicationVersion(ctx: PlatformContext, request: DeleteApplicationVersionRequest, meta: RequestMeta): Promise<Record<string, never>> {
  const version = await ctx.store.transaction(async (tx) => {
    const found = await tx.platform.getVersion(request.ApplicationName, request.VersionLabel);
    if (!found) throw wharfError('WHARF_E_VERSION_NOT_FOUND', { application: request.ApplicationName, versionLabel: request.VersionLabel });
    const user = (await tx.platform.listEnvironments({ applicationName: request.ApplicationName })).find(
      // An operation counts while it runs: once done (a failed deploy too) the environment runs its versionLabel.
      (e) => e.versionLabel === request.VersionLabel || (e.operation?.step !== 'done' && e.operation?.versionLabel === request.VersionLabel),
    );
    if (user) throw wharfError('WHARF_E_VERSION_IN_USE', { versionLabel: request.VersionLabel, environment: user.environmentName });
    await tx.platform.deleteVersion(found.applicationName, found.versionLabel);
    await applicationEvent(tx, found.applicationName, `Deleted application version ${found.versionLabel}.`, { ...meta, versionLabel: found.versionLabel });
    return found;
  });
  await removeVersionFiles(ctx, version, request.DeleteSourceBundle ?? false);
  return {};
}

/** Removes a deleted version's folder and, when asked and no other version shares it, its bundle. */
async function removeVersionFiles(ctx: PlatformContext, version: ApplicationVersionRecord, deleteBundle: boolean): Promise<void> {
  await rm(versionDir(ctx.root, version.applicationName, version.versionLabel), { recursive: true, force: true });
  if (!deleteBundle) return;
  // An S3 object (or an upload's part) with the same content keeps it too.
  const shared = (await ctx.store.platform.listVersions()).some((v) => v.sourceBundle.sha256 === version.sourceBundle.sha256) || (await ctx.store.s3.referencedContent()).includes(version.sourceBundle.sha256);
  if (!shared) await ctx.artifacts.remove(version.sourceBundle.sha256);
}
