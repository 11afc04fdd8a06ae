import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_START_TIMEOUT_SEC, DEFAULT_STOP_TIMEOUT_SEC, registerTaskDefinitionRequestSchema } from '../../model/task-definition.js';
import type { TaskDefinitionRecord } from '../../model/task-definition.js';
import type { TaskRecord } from '../../model/task.js';
import { serviceTask } from '../deploy/fixtures.test-support.js';
import { agentTask } from './agents.js';

const NOW = 1_700_000_000_000;

/** A definition registered from `containers` (parsed as RegisterTaskDefinition parses it). */
function definition(containers: Record<string, unknown>[]): TaskDefinitionRecord {
  const parsed = registerTaskDefinitionRequestSchema.parse({ family: 'web', containerDefinitions: containers });
  return { family: 'web', revision: 1, status: 'ACTIVE', definition: parsed, registeredAt: NOW, deregisteredAt: null, deleteRequestedAt: null };
}

/** A complete task of web:1 outside any service (the shared task fixture, reset to a standalone task). */
const task = (overrides: Partial<TaskRecord> = {}): TaskRecord => serviceTask('none', { group: 'family:web', startedBy: null, lastStatus: 'PENDING', hostPorts: [31000], ...overrides });

test("the agent's containers come complete: ECS's health check defaults with CMD, stop and start timeouts", () => {
  const record = definition([{ name: 'app', image: 'wharf/process', memory: 64, portMappings: [{ containerPort: 8080 }], healthCheck: { command: ['true'] } }]);
  const [app] = agentTask(task(), record).containers;
  assert.deepEqual(app?.healthCheck, { interval: 30, timeout: 5, retries: 3, startPeriod: 0, command: ['CMD', 'true'] });
  assert.equal(app?.stopTimeout, DEFAULT_STOP_TIMEOUT_SEC);
  assert.equal(app?.stopTimeout, 30);
  assert.equal(app?.startTimeout, DEFAULT_START_TIMEOUT_SEC);
  assert.deepEqual(app?.portMappings, [{ containerPort: 8080, hostPort: 31000, protocol: 'tcp' }]);
  assert.deepEqual([app?.entryPoint, app?.command, app?.dependsOn, app?.ulimits], [[], [], [], []]);
});

test("a definition's own timeouts and the task's overrides win over the defaults", () => {
  const record = definition([{ name: 'app', image: 'wharf/process', memory: 64, command: ['a'], stopTimeout: 2, startTimeout: 9, environment: [{ name: 'A', value: '1' }] }]);
  const [app] = agentTask(task({ overrides: { containerOverrides: [{ name: 'app', command: ['b'], environment: [{ name: 'B', value: '2' }] }] } }), record).containers;
  assert.equal(app?.stopTimeout, 2);
  assert.equal(app?.startTimeout, 9);
  assert.deepEqual(app?.command, ['b']);
  assert.deepEqual(app?.environment, { A: '1', B: '2' });
  assert.equal(app?.healthCheck, undefined);
});
