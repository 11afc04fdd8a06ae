/**
 * Fixture builder for driver tests: a complete, frozen ContainerSpec (the agent protocol's container
 * plus what the agent adds) from the fields a test cares about. The rest takes the model's named
 * defaults, as the controller resolves them when it builds an agent's task.
 */
import { DEFAULT_LOG_MAX_BYTES, type ContainerSpec } from '../../src/agent/drivers/driver.js';
import type { AgentHealthCheck } from '../../src/model/agent-protocol.js';
import { DEFAULT_START_TIMEOUT_SEC, DEFAULT_STOP_TIMEOUT_SEC, HEALTH_CHECK_DEFAULTS } from '../../src/model/task-definition.js';

/** The fields of a ContainerSpec a test must give; any other may be given too. */
export type ContainerSpecInput = Pick<ContainerSpec, 'taskId' | 'name' | 'image'> &
  Partial<Omit<ContainerSpec, 'taskId' | 'name' | 'image' | 'healthCheck'>> & {
    readonly healthCheck?: Partial<AgentHealthCheck> & Pick<AgentHealthCheck, 'command'>;
  };

/** A complete ContainerSpec: `input` over the defaults. */
export function containerSpec(input: ContainerSpecInput): ContainerSpec {
  const { healthCheck, ...rest } = input;
  return Object.freeze({
    essential: true,
    entryPoint: [],
    command: [],
    environment: {},
    portMappings: [],
    dependsOn: [],
    startTimeout: DEFAULT_START_TIMEOUT_SEC,
    stopTimeout: DEFAULT_STOP_TIMEOUT_SEC,
    ulimits: [],
    labels: {},
    logMaxBytes: DEFAULT_LOG_MAX_BYTES,
    ...rest,
    ...(healthCheck ? { healthCheck: { ...HEALTH_CHECK_DEFAULTS, ...healthCheck } } : {}),
  });
}
