/**
 * Which AWS service name a request to the native API is signed for (the SigV4 credential scope's
 * service): the service of its API area, as the AWS-compatible API will use. The CLI signs with it
 * and the controller requires it, so both read this one function.
 */

/** The SigV4 service name for a request path (`/v1/elbv2/…` → `elasticloadbalancing`). */
export function signingServiceOf(path: string): string {
  const area = /^\/v1\/([a-z0-9-]+)/.exec(path)?.[1];
  switch (area) {
    case 'elasticbeanstalk':
      return 'elasticbeanstalk';
    case 'elbv2':
      return 'elasticloadbalancing';
    case 'application-autoscaling':
      return 'application-autoscaling';
    case 'iam':
      return 'iam';
    case 'sts':
      return 'sts';
    case 'events':
    case 'audit':
      return 'wharf';
    case undefined:
      return 'wharf';
    default:
      return 'ecs';
  }
}

/** The region a client signs for when it names none: any region is accepted; this is the account's default. */
export const DEFAULT_SIGNING_REGION = 'local';
