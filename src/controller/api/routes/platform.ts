/**
 * Elastic Beanstalk on the controller: POST /v1/elasticbeanstalk/<Operation> with EB's PascalCase
 * JSON (the AWS Query protocol's fields, as JSON), and PUT /v1/elasticbeanstalk/bundles, which
 * stores a source bundle's bytes and answers with the `SourceBundle` to name it by (Wharf's
 * artifact store stands where EB's S3 bucket does).
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { decodedBody } from '../../../model/sigv4-chunked.js';
import type { PayloadSigning } from '../../../model/sigv4-chunked.js';
import { bodyOperation } from '../handlers.js';
import type { RouteHandler, RouteHandlers } from '../handlers.js';
import type { RouteInput } from '../actions.js';
import {
  ARTIFACT_BUCKET,
  createApplication,
  createApplicationVersion,
  createStorageLocation,
  deleteApplication,
  deleteApplicationVersion,
  describeApplications,
  describeApplicationVersions,
  updateApplication,
  updateApplicationVersion,
} from '../../platform/applications.js';
import { listAvailableSolutionStacks, listPlatformBranches, listPlatformVersions, describePlatformVersion } from '../../platform/platforms.js';
import { listTagsForResource, updateTagsForResource } from '../../platform/tags.js';
import { requestEnvironmentInfo, retrieveEnvironmentInfo } from '../../platform/environment-info.js';
import {
  createConfigurationTemplate,
  deleteConfigurationTemplate,
  deleteEnvironmentConfiguration,
  describeConfigurationOptionsView,
  describeConfigurationSettings,
  updateConfigurationTemplate,
  validateConfigurationSettings,
} from '../../platform/configuration.js';
import { abortEnvironmentUpdate } from '../../platform/abort.js';
import type { PlatformContext } from '../../platform/context.js';
import {
  checkDnsAvailability,
  createEnvironment,
  describeManagedActionHistory,
  describeManagedActions,
  rebuildEnvironment,
  requireEnvironment,
  restartAppServer,
  terminateEnvironment,
  updateEnvironment,
} from '../../platform/environments.js';
import { swapEnvironmentCnames } from '../../platform/swap.js';
import {
  describeEnvironmentHealth,
  describeEnvironmentResources,
  describeEnvironments,
  describeEvents,
  describeInstancesHealth,
} from '../../platform/views.js';
import { ELASTIC_BEANSTALK_API } from '../../../model/api/platform.js';

/** The Elastic Beanstalk operations, by native route. */
export function platformRoutes(ctx: PlatformContext): RouteHandlers {
  const meta = (id: string) => ({ requestId: id, now: Date.now() });
  const handlers: Record<string, RouteHandler> = {};
  const op = <N extends keyof typeof ELASTIC_BEANSTALK_API>(name: N, run: (body: z.output<(typeof ELASTIC_BEANSTALK_API)[N]['request']>, requestId: string, input: RouteInput) => Promise<unknown>) => {
    handlers[ELASTIC_BEANSTALK_API[name].route] = bodyOperation(name, ELASTIC_BEANSTALK_API[name].request, run);
  };

  op('CreateApplication', (b, id) => createApplication(ctx, b, meta(id)));
  op('UpdateApplication', (b, id) => updateApplication(ctx, b, meta(id)));
  op('DescribeApplications', (b) => describeApplications(ctx, b));
  op('DeleteApplication', (b, id) => deleteApplication(ctx, b, meta(id)));
  op('CreateApplicationVersion', (b, id) => createApplicationVersion(ctx, b, meta(id)));
  op('DescribeApplicationVersions', (b) => describeApplicationVersions(ctx, b));
  op('DeleteApplicationVersion', (b, id) => deleteApplicationVersion(ctx, b, meta(id)));
  op('CreateStorageLocation', (_b, id) => createStorageLocation(ctx, meta(id)));

  op('CreateEnvironment', (b, id) => createEnvironment(ctx, b, meta(id)));
  op('UpdateEnvironment', (b, id) => updateEnvironment(ctx, b, meta(id)));
  op('TerminateEnvironment', (b, id) => terminateEnvironment(ctx, b, meta(id)));
  op('RestartAppServer', (b, id) => restartAppServer(ctx, b, meta(id)));
  op('RebuildEnvironment', (b, id) => rebuildEnvironment(ctx, b, meta(id)));
  op('AbortEnvironmentUpdate', (b, id) => abortEnvironmentUpdate(ctx, b, meta(id)));
  op('SwapEnvironmentCNAMEs', (b, id) => swapEnvironmentCnames(ctx, b, meta(id)));
  op('DescribeEnvironments', (b) => describeEnvironments(ctx, b));
  op('DescribeEvents', (b) => describeEvents(ctx, b));
  op('CheckDNSAvailability', (b) => checkDnsAvailability(ctx, b));
  op('DescribeEnvironmentHealth', async (b) => describeEnvironmentHealth(ctx, await requireEnvironment(ctx.store, b), Date.now()));
  op('DescribeInstancesHealth', async (b) => describeInstancesHealth(ctx, await requireEnvironment(ctx.store, b), Date.now()));
  op('DescribeEnvironmentResources', async (b) => describeEnvironmentResources(ctx, await requireEnvironment(ctx.store, b)));

  op('DescribeConfigurationSettings', (b) => describeConfigurationSettings(ctx, b));
  op('DescribeConfigurationOptions', (b) => describeConfigurationOptionsView(ctx, b));
  op('ValidateConfigurationSettings', (b) => validateConfigurationSettings(ctx, b));
  op('CreateConfigurationTemplate', (b, id) => createConfigurationTemplate(ctx, b, meta(id)));
  op('DeleteConfigurationTemplate', (b, id) => deleteConfigurationTemplate(ctx, b, meta(id)));
  op('UpdateConfigurationTemplate', (b, id) => updateConfigurationTemplate(ctx, b, meta(id)));
  op('DeleteEnvironmentConfiguration', (b) => deleteEnvironmentConfiguration(ctx, b));
  op('UpdateApplicationVersion', (b, id) => updateApplicationVersion(ctx, b, meta(id)));

  op('ListPlatformVersions', (b) => listPlatformVersions(ctx, b));
  op('DescribePlatformVersion', (b) => describePlatformVersion(ctx, b));
  op('ListPlatformBranches', (b) => listPlatformBranches(ctx, b));
  op('ListAvailableSolutionStacks', async () => listAvailableSolutionStacks());

  op('ListTagsForResource', (b) => listTagsForResource(ctx, b));
  op('UpdateTagsForResource', (b, id) => updateTagsForResource(ctx, b, meta(id)));

  op('RequestEnvironmentInfo', (b, id) => requestEnvironmentInfo(ctx, b, meta(id)));
  op('RetrieveEnvironmentInfo', (b, _id, input) => retrieveEnvironmentInfo(ctx, b, input.origin, Date.now()));
  op('DescribeEnvironmentManagedActions', (b) => describeManagedActions(ctx, b));
  op('DescribeEnvironmentManagedActionHistory', (b) => describeManagedActionHistory(ctx, b));
  return handlers;
}

/** PUT /v1/elasticbeanstalk/bundles: a source bundle's bytes into the artifact store. */
export function registerBundleUpload(app: FastifyInstance, ctx: PlatformContext): void {
  void app.register(async (scope) => {
    // A bundle is the request's raw bytes, whatever its content type says (none, JSON, text and
    // archives alike): no parser of this scope ever turns the body into a value, so a body can never
    // be taken for anything but content (not a path on this host). The artifact store streams it
    // to disk and enforces the bundle size limit itself.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.put('/v1/elasticbeanstalk/bundles', { bodyLimit: Number.MAX_SAFE_INTEGER }, async (request) => {
      // Without a body (no content length) no parser runs; the request itself is then the (empty) stream.
      const body = request.body instanceof Readable ? request.body : request.raw;
      // How the upload is signed, read by authentication once the request's signature held: the
      // bytes stored must have the signed hash, or (aws-chunked) are decoded and each chunk checked.
      // (With authentication off, in the benchmark only, nothing is signed.)
      const payload: PayloadSigning | undefined = request.call ? request.call.payload : { kind: 'unsigned' };
      if (!payload) throw new Error('the bundle upload ran without its payload signing: the authentication hooks must read it first');
      const stored = await ctx.artifacts.put(decodedBody(body, payload), payload.kind === 'sha256' ? { expectedSha256: payload.sha256 } : {});
      return { SourceBundle: { S3Bucket: ARTIFACT_BUCKET, S3Key: stored.sha256 }, Size: stored.size };
    });
  });
}
