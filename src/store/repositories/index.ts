/** All repositories over one executor: the store's own (autocommit) or a transaction's. */
import type { SqlExecutor } from '../sql.js';
import type { Repositories } from '../store.js';
import { auditRepository } from './audit.js';
import { autoScalingRepository } from './autoscaling.js';
import { clusterRepository } from './clusters.js';
import { containerInstanceRepository } from './container-instances.js';
import { eventRepository } from './events.js';
import { iamRepository } from './iam.js';
import { loadBalancingRepository } from './load-balancing.js';
import { platformRepository } from './platform.js';
import { deploymentRepository, serviceRepository, taskSetRepository } from './services.js';
import { taskDefinitionRepository } from './task-definitions.js';
import { taskRepository } from './tasks.js';
import { s3Repository } from './s3.js';

/** Builds the repositories on `exec`; `now` stamps rows that the caller gives no time for. */
export function repositoriesOn(exec: SqlExecutor, now: () => number): Repositories {
  return {
    events: eventRepository(exec, now),
    clusters: clusterRepository(exec),
    taskDefinitions: taskDefinitionRepository(exec),
    containerInstances: containerInstanceRepository(exec),
    tasks: taskRepository(exec),
    services: serviceRepository(exec),
    taskSets: taskSetRepository(exec),
    deployments: deploymentRepository(exec),
    loadBalancing: loadBalancingRepository(exec),
    autoScaling: autoScalingRepository(exec),
    platform: platformRepository(exec),
    iam: iamRepository(exec),
    audit: auditRepository(exec),
    s3: s3Repository(exec),
  };
}
