/** Complete, valid service records for the pure services tests, to tweak per case. */
import type { DeploymentRecord, ServiceRecord, TaskSetRecord } from '../../model/service.js';
import type { TaskRecord } from '../../model/task.js';

export const NOW = 1_700_000_000_000;

export function serviceFixture(overrides: Partial<ServiceRecord> = {}): ServiceRecord {
  return {
    cluster: 'default',
    serviceName: 'web',
    status: 'ACTIVE',
    desiredCount: 4,
    schedulingStrategy: 'REPLICA',
    deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
    healthCheckGracePeriodSeconds: 0,
    loadBalancers: [],
    placementStrategy: [],
    placementConstraints: [],
    tags: [],
    createdAt: NOW,
    updatedAt: NOW,
    version: 1,
    ...overrides,
  };
}

/** A DAEMON service on `hosts` hosts with ECS's daemon defaults (0% / 100%). */
export function daemonFixture(hosts: number, overrides: Partial<ServiceRecord> = {}): ServiceRecord {
  return serviceFixture({
    schedulingStrategy: 'DAEMON',
    desiredCount: hosts,
    deploymentConfiguration: { minimumHealthyPercent: 0, maximumPercent: 100, deploymentCircuitBreaker: { enable: true, rollback: true } },
    ...overrides,
  });
}

export function setFixture(id: string, overrides: Partial<TaskSetRecord> = {}): TaskSetRecord {
  return {
    id,
    cluster: 'default',
    serviceName: 'web',
    family: 'web',
    revision: 1,
    status: 'PRIMARY',
    targetCount: 4,
    weight: 100,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: '',
    failedTasks: 0,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

let counter = 0;
export function serviceTask(setId: string, overrides: Partial<TaskRecord> = {}): TaskRecord {
  counter += 1;
  return {
    id: counter.toString(16).padStart(32, '0'),
    cluster: 'default',
    family: 'web',
    revision: 1,
    containerInstanceId: 'host-1',
    desiredStatus: 'RUNNING',
    lastStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    group: 'service:web',
    startedBy: setId,
    cpu: 0,
    memory: 64,
    hostPorts: [0],
    overrides: {},
    tags: [],
    containers: [],
    stopCode: null,
    stoppedReason: null,
    drainUntil: null,
    version: 1,
    createdAt: NOW - 60_000 + counter,
    startedAt: NOW - 50_000,
    stoppingAt: null,
    stoppedAt: null,
    ...overrides,
  };
}

export function deploymentFixture(overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    cluster: 'default',
    serviceName: 'web',
    id: 2,
    kind: 'ECS_ROLLING',
    toSet: 'new',
    fromSets: ['old'],
    steps: [
      { name: 'start set', targets: { new: 4, old: 4 } },
      { name: 'stop set', targets: { new: 4, old: 0 } },
    ],
    cursor: 0,
    stepAppliedAt: null,
    stepHeldSince: null,
    status: 'IN_PROGRESS',
    reason: '',
    rollbackOf: null,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}
