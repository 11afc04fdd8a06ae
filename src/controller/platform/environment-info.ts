/**
 * Elastic Beanstalk's RequestEnvironmentInfo and RetrieveEnvironmentInfo: an environment's logs,
 * per instance (task), as objects in the account's Elastic Beanstalk bucket
 * (`elasticbeanstalk-<region>-<account>`, CreateStorageLocation's), handed out as presigned S3 URLs
 * that any HTTP client (curl) fetches for as long as EB keeps them (INFO_TTL_MS, 15 minutes).
 *
 *   tail    the last TAIL_LINES lines of each task's log  → …/logs/tail/<env>/<task>/TailLogs-<ms>.out
 *   bundle  all of each task's log (as the agent keeps it), zipped as var/log/web.stdout.log
 *                                                          → …/logs/bundle/<env>/<task>/BundleLogs-<ms>.zip
 *
 * Request collects at once (each agent answers within its log timeout) and drops what an older
 * request of the same environment left past INFO_TTL_MS; Retrieve lists what is younger than that.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { packFolder } from '../../bundle/pack.js';
import { storageLocationBucket } from '../../model/api/aws/s3.js';
import type { EnvironmentInfoRequest } from '../../model/api/platform.js';
import { wharfError } from '../../model/errors.js';
import type { EnvironmentRecord } from '../../model/platform.js';
import type { TaskRecord } from '../../model/task.js';
import type { RequestMeta } from '../request.js';
import { ensureBucket, putObject } from './buckets.js';
import type { PlatformContext } from './context.js';
import { environmentEvent } from './context.js';
import { requireEnvironment } from './environments.js';

/** How long a request's logs are kept and their URLs valid (EB's 15 minutes). */
export const INFO_TTL_MS = 15 * 60_000;
/** The lines a tail keeps of each task's log (EB's tail is the last 100 lines of each log file). */
export const TAIL_LINES = 100;
/** Objects read at a time while listing an environment's logs. */
const LIST_BATCH = 1000;

type InfoType = EnvironmentInfoRequest['InfoType'];

/** Where an environment's logs of one kind are kept in the bucket. */
export function infoPrefix(type: InfoType, environmentId: string): string {
  return `resources/environments/logs/${type}/${environmentId}/`;
}

/** The tasks of an environment that are serving or starting: its instances. */
async function instancesOf(ctx: PlatformContext, environment: EnvironmentRecord): Promise<TaskRecord[]> {
  const tasks = await ctx.store.tasks.ofService(environment.resources.cluster, environment.resources.serviceName);
  return tasks.filter((task) => task.desiredStatus === 'RUNNING' && task.lastStatus !== 'STOPPED');
}

/** A task's log as text, one line per line the app wrote (the agent's NDJSON `{time, stream, text}`). */
async function logText(ctx: PlatformContext, task: TaskRecord, tail: number | undefined): Promise<string> {
  const stream = await ctx.taskLogs(task, tail, AbortSignal.timeout(INFO_COLLECT_TIMEOUT_MS));
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  const lines: string[] = [];
  for (const line of Buffer.concat(chunks).toString('utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const entry = JSON.parse(line) as { time?: number; stream?: string; text?: string };
      lines.push(`${entry.time ? new Date(entry.time).toISOString() : ''} [${entry.stream ?? 'stdout'}] ${(entry.text ?? '').replace(/\n$/, '')}`);
    } catch {
      lines.push(line);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** How long collecting one task's log may take. */
export const INFO_COLLECT_TIMEOUT_MS = 30_000;

/** A zip holding `var/log/web.stdout.log` (EB's bundle names the files as they sit on the instance). */
async function zipOf(text: string): Promise<Buffer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wharf-eb-logs-'));
  try {
    await mkdir(path.join(dir, 'logs', 'var', 'log'), { recursive: true });
    await writeFile(path.join(dir, 'logs', 'var', 'log', 'web.stdout.log'), text);
    const zip = path.join(dir, 'bundle.zip');
    await packFolder(path.join(dir, 'logs'), zip);
    return await readFile(zip);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Drops the environment's logs of this kind that are older than INFO_TTL_MS (rows only; the artifact sweep removes their bytes). */
async function dropExpired(ctx: PlatformContext, bucket: string, prefix: string, now: number): Promise<void> {
  let after = '';
  for (;;) {
    const objects = await ctx.store.s3.listObjects({ bucketName: bucket, prefix, after, limit: LIST_BATCH });
    for (const object of objects) if (now - object.lastModified >= INFO_TTL_MS) await ctx.store.s3.deleteObject(bucket, object.key);
    if (objects.length < LIST_BATCH) return;
    after = objects.at(-1)!.key;
  }
}

/**
 * RequestEnvironmentInfo: collects each instance's log (tail or bundle) into the account's EB
 * bucket now. An instance whose agent does not answer is named in a WARN event; the others' logs
 * are kept.
 */
export async function requestEnvironmentInfo(ctx: PlatformContext, request: EnvironmentInfoRequest, meta: RequestMeta): Promise<Record<string, never>> {
  const environment = await requireEnvironment(ctx.store, request);
  const bucket = (await ensureBucket(ctx, storageLocationBucket(ctx.arnScope.region, ctx.arnScope.accountId), meta)).bucketName;
  const prefix = infoPrefix(request.InfoType, environment.environmentId);
  await dropExpired(ctx, bucket, prefix, meta.now);
  const failed: string[] = [];
  await Promise.all(
    (await instancesOf(ctx, environment)).map(async (task) => {
      try {
        const text = await logText(ctx, task, request.InfoType === 'tail' ? TAIL_LINES : undefined);
        const body = request.InfoType === 'tail' ? Buffer.from(text) : await zipOf(text);
        const key = `${prefix}${task.id}/${request.InfoType === 'tail' ? 'TailLogs' : 'BundleLogs'}-${meta.now}.${request.InfoType === 'tail' ? 'out' : 'zip'}`;
        await putObject(ctx, { bucket, key, body: Readable.from([body]), contentType: request.InfoType === 'tail' ? 'text/plain; charset=utf-8' : 'application/zip', metadata: {} }, meta);
      } catch (error) {
        failed.push(`${task.id} (${(error as Error).message})`);
      }
    }),
  );
  const kept = await countKept(ctx, bucket, prefix, meta.now);
  await ctx.store.transaction(async (tx) => {
    await environmentEvent(tx, environment, 'INFO', `requestEnvironmentInfo (${request.InfoType}) completed: logs of ${kept} instance(s) kept for 15 minutes.`, meta);
    if (failed.length > 0) await environmentEvent(tx, environment, 'WARN', `requestEnvironmentInfo (${request.InfoType}) could not read the log of ${failed.join(', ')}.`, meta);
  });
  return {};
}

async function countKept(ctx: PlatformContext, bucket: string, prefix: string, now: number): Promise<number> {
  const objects = await ctx.store.s3.listObjects({ bucketName: bucket, prefix, after: '', limit: LIST_BATCH });
  return new Set(objects.filter((o) => now - o.lastModified < INFO_TTL_MS).map((o) => o.key.slice(prefix.length).split('/')[0])).size;
}

/**
 * RetrieveEnvironmentInfo: what RequestEnvironmentInfo collected in the last INFO_TTL_MS, newest
 * first, each as a presigned GET on the API's address the caller used (`origin`), valid until the
 * info's 15 minutes are over.
 */
export async function retrieveEnvironmentInfo(ctx: PlatformContext, request: EnvironmentInfoRequest, origin: string | undefined, now: number) {
  const environment = await requireEnvironment(ctx.store, request);
  if (!origin) throw wharfError('WHARF_E_VALIDATION', { summary: 'the request named no Host: the URLs of the logs are made for the address the caller used' }, { errors: [{ field: 'Host', message: 'send the Host header' }] });
  const bucket = storageLocationBucket(ctx.arnScope.region, ctx.arnScope.accountId);
  if (!(await ctx.store.s3.getBucket(bucket))) return { EnvironmentInfo: [] };
  const prefix = infoPrefix(request.InfoType, environment.environmentId);
  const objects = (await ctx.store.s3.listObjects({ bucketName: bucket, prefix, after: '', limit: LIST_BATCH })).filter((o) => now - o.lastModified < INFO_TTL_MS);
  objects.sort((a, b) => b.lastModified - a.lastModified);
  const info = await Promise.all(
    objects.map(async (object) => {
      const url = `${origin}/${bucket}/${object.key.split('/').map(encodeURIComponent).join('/')}`;
      const expires = Math.max(1, Math.floor((object.lastModified + INFO_TTL_MS - now) / 1000));
      return {
        InfoType: request.InfoType,
        Ec2InstanceId: object.key.slice(prefix.length).split('/')[0] ?? '',
        SampleTimestamp: new Date(object.lastModified).toISOString(),
        Message: await ctx.presign(url, expires, now),
      };
    }),
  );
  return { EnvironmentInfo: info };
}
