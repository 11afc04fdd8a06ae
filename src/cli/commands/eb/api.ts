/**
 * The controller's Elastic Beanstalk API as the eb commands call it: `POST
 * /v1/elasticbeanstalk/<Operation>` with EB's PascalCase JSON, and the look-ups most commands
 * start with.
 */
import type { ApplicationVersionView, EnvironmentView } from '../../../model/api/platform.js';
import { wharfError } from '../../../model/errors.js';
import type { ApiClient } from '../../client.js';

/** Where the operations are. */
export const EB_ROUTE = '/v1/elasticbeanstalk';
/** Where source bundles are uploaded (PUT, the zip's bytes). */
export const BUNDLES_ROUTE = `${EB_ROUTE}/bundles`;

/** Calls one Elastic Beanstalk operation and returns its answer, or throws the API's error. */
export function ebCall<T>(client: ApiClient, operation: string, body: Record<string, unknown> = {}): Promise<T> {
  return client.request<T>('POST', `${EB_ROUTE}/${operation}`, { body });
}

/** The live environment named `name`, or WHARF_E_ENVIRONMENT_NOT_FOUND. */
export async function describeEnvironment(client: ApiClient, name: string): Promise<EnvironmentView> {
  const { Environments } = await ebCall<{ Environments: EnvironmentView[] }>(client, 'DescribeEnvironments', { EnvironmentNames: [name] });
  const found = Environments.find((e) => e.Status !== 'Terminated');
  if (!found) throw wharfError('WHARF_E_ENVIRONMENT_NOT_FOUND', { environment: name });
  return found;
}

/** What an upload answers: the bundle's name to create a version from, and its size. */
export interface UploadedBundle {
  SourceBundle: { S3Bucket: string; S3Key: string };
  Size: number;
}

/** CreateApplicationVersion's answer. */
export interface CreatedVersion {
  ApplicationVersion: ApplicationVersionView;
}
