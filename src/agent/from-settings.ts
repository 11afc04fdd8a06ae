/** Builds the agent's driver from its settings and starts the agent (for `wharf agent` and `wharf up`). */
import type { AgentSettings } from '../config/agent-settings.js';
import { makePrivateDir } from '../files.js';
import type { Logger } from '../log.js';
import { lookupUser, runningAsRoot } from '../users.js';
import type { RunningAgent } from './agent.js';
import { startAgent } from './agent.js';
import { createDockerDriver } from './drivers/docker.js';
import type { Driver } from './drivers/driver.js';
import { createProcessDriver } from './drivers/process.js';

export async function startAgentFromSettings(settings: AgentSettings, log: Logger): Promise<RunningAgent> {
  await makePrivateDir(settings.dataDir); // created 0700, or tightened when an older Wharf made it 0755
  if (settings.driver === 'process' && runningAsRoot()) {
    const taskUser = lookupUser(settings.taskUser);
    if ('error' in taskUser) log.warn({ taskUser: settings.taskUser }, `process tasks will fail to start: ${taskUser.error}; create it with scripts/install-deps.sh or name another in WHARF_TASK_USER`);
  }
  const driver: Driver =
    settings.driver === 'docker'
      ? await createDockerDriver({
          socketPath: settings.dockerSocket,
          dataDir: settings.dataDir,
          agentId: `${settings.cluster}/${settings.hostId}`,
          allowPrivileged: settings.allowPrivileged,
          logger: log.child({ part: 'driver' }),
        })
      : await createProcessDriver({
          dataDir: settings.dataDir,
          runAs: { taskUser: settings.taskUser, allowedUsers: settings.allowedTaskUsers, allowPrivileged: settings.allowPrivileged },
          logger: log.child({ part: 'driver' }),
        });
  try {
    return await startAgent({
      endpoint: settings.endpoint,
      joinToken: settings.joinToken,
      cluster: settings.cluster,
      hostId: settings.hostId,
      driverName: settings.driver,
      driver,
      dataDir: settings.dataDir,
      resources: { cpu: settings.cpu, memory: settings.memory, reservedPorts: settings.reservedPorts },
      attributes: settings.attributes,
      listenHost: settings.listenHost,
      heartbeatIntervalMs: settings.heartbeatIntervalMs,
      log,
    });
  } catch (error) {
    await driver.close();
    throw error;
  }
}
