/**
 * Which of Elastic Beanstalk's two mechanisms (eb-ecs-spec §1.1) an environment's next rollout
 * follows. An application deployment (a new version, new environment variables) follows
 * `aws:elasticbeanstalk:command` DeploymentPolicy; a configuration update that replaces instances
 * follows `aws:autoscaling:updatepolicy:rollingupdate`, even when a new version brings it (its
 * `.ebextensions` set a new InstanceType). In Wharf a change replaces instances when the size of a
 * copy changes: the new task definition's cpu or memory differs from a revision still serving.
 *
 * It compares with what serves, not with the settings the operation replaced, so a size that
 * never took (an update that failed and rolled back) still counts as a change the next time.
 */
import type { DeploymentPolicy } from '../../model/service.js';
import type { Store } from '../../store/store.js';
import { deploymentPolicyFor, replacesInstances, rollingUpdatePolicyFor } from './compile.js';
import type { EnvironmentConfig } from './options/resolve.js';

/**
 * The policy for moving the service to `taskDefinition` (`family:revision`, registered): the
 * rolling update when the size of a copy changes, else the deployment policy. Reads only.
 */
export async function rolloutPolicyFor(
  store: Pick<Store, 'taskSets' | 'taskDefinitions'>,
  service: { readonly cluster: string; readonly serviceName: string },
  taskDefinition: string,
  config: EnvironmentConfig,
): Promise<DeploymentPolicy> {
  const next = await definitionOf(store, taskDefinition);
  const serving = (await store.taskSets.forService(service.cluster, service.serviceName)).filter((s) => s.status !== 'INACTIVE' && s.targetCount > 0);
  const definitions = await Promise.all(serving.map((s) => store.taskDefinitions.get(s.family, s.revision)));
  const known = definitions.flatMap((record) => (record ? [record.definition] : []));
  return next && replacesInstances(known, next) ? rollingUpdatePolicyFor(config) : deploymentPolicyFor(config);
}

async function definitionOf(store: Pick<Store, 'taskDefinitions'>, ref: string) {
  const at = ref.lastIndexOf(':');
  const revision = Number(ref.slice(at + 1));
  if (at <= 0 || !Number.isInteger(revision)) return undefined;
  return (await store.taskDefinitions.get(ref.slice(0, at), revision))?.definition;
}
