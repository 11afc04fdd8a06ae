// The process driver: the driver contract on real child processes, plus what only it does.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { containerSpec, type ContainerSpecInput } from '../support/container-spec.js';
import { createProcessDriver, PROCESS_CONTAINERS_FOLDER, PROCESS_IMAGE, type ProcessDriver } from '../../src/agent/drivers/process.js';
import { readProcStat } from '../../src/agent/drivers/proc.js';
import type { Driver } from '../../src/agent/drivers/driver.js';
import { WharfError } from '../../src/model/errors.js';
import { DEFAULT_TASK_USER, lookupUser } from '../../src/users.js';
import { waitFor } from '../support/wait.js';
import { collectLogs, driverContract, newTaskId, openDriver, waitForLog, type DriverHarness } from './driver-contract.js';

function nodeSpec(script: string, overrides: Partial<ContainerSpecInput> = {}) {
  return containerSpec({ taskId: newTaskId(), name: 'app', image: PROCESS_IMAGE, entryPoint: [process.execPath, '-e', script], ...overrides });
}

const harness: DriverHarness = {
  makeDriver: (dataDir) => createProcessDriver({ dataDir }),
  nodeSpec,
  nodePath: process.execPath,
  missingExecutableSpec: () => containerSpec({ taskId: newTaskId(), name: 'app', image: PROCESS_IMAGE, entryPoint: ['/nonexistent/wharf-test-binary'], command: ['--flag'] }),
};

driverContract('process', async () => harness);

describe('process driver specifics', () => {
  test('images other than wharf/process are refused', async (t) => {
    const { driver } = await openDriver(t, harness);
    await assert.rejects(driver.start(containerSpec({ taskId: newTaskId(), name: 'web', image: 'nginx:1.25' })), (error: unknown) => {
      assert.ok(error instanceof WharfError && error.code === 'WHARF_E_DRIVER_IMAGE_UNSUPPORTED', String(error));
      assert.match(error.message, /wharf\/process/);
      return true;
    });
  });

  test('a relative workingDirectory is inside the container folder; PORT is the first dynamic host port', async (t) => {
    const { driver, dataDir } = await openDriver(t, harness);
    const state = await driver.start(
      nodeSpec(`console.log(process.cwd()); console.log(process.env.PORT, process.env.WHARF_HOST_PORT_9000, process.env.WHARF_HOST_PORT_8080); console.log(process.env.SECRET_OF_AGENT ?? 'no agent env')`, {
        workingDirectory: 'app/current',
        portMappings: [
          { containerPort: 9000, hostPort: 0, protocol: 'udp' },
          { containerPort: 8080, hostPort: 0, protocol: 'tcp' },
        ],
      }),
    );
    await driver.wait(state.id);
    const [cwd, ports, agentEnv] = (await collectLogs(driver, state.id)).map((line) => line.text);
    assert.equal(cwd, path.join(dataDir, PROCESS_CONTAINERS_FOLDER, state.id, 'work', 'app', 'current'));
    const udp = state.ports[0]?.hostPort;
    const tcp = state.ports[1]?.hostPort;
    assert.equal(ports, `${udp} ${udp} ${tcp}`);
    assert.equal(agentEnv, 'no agent env');
  });

  test('stop reaches the whole process group', async (t) => {
    const { driver } = await openDriver(t, harness);
    const script = `const child = require('child_process').spawn('sleep', ['300'], { stdio: 'ignore' }); console.log('child ' + child.pid); setInterval(() => {}, 1000);`;
    const state = await driver.start(nodeSpec(script));
    const line = await waitForLog(driver, state.id, /^child \d+$/);
    const grandchild = Number(line.text.split(' ')[1]);
    assert.ok(readProcStat(grandchild), 'the grandchild runs');
    await driver.stop(state.id, 5);
    await waitFor(`grandchild ${grandchild} to be gone`, () => {
      const stat = readProcStat(grandchild);
      return stat === undefined || stat.state === 'Z';
    });
  });

  test('a reused pid is not taken for the container, and never signalled', async (t) => {
    const { dataDir, restart } = await openDriver(t, harness);
    const stranger = spawn('sleep', ['60'], { stdio: 'ignore' });
    t.after(() => void stranger.kill('SIGKILL'));
    const pid = stranger.pid as number;
    // A container folder whose recorded pid now belongs to another process (its start time differs).
    const id = 'f'.repeat(24);
    const dir = path.join(dataDir, PROCESS_CONTAINERS_FOLDER, id);
    mkdirSync(path.join(dir, 'work'), { recursive: true });
    const spec = nodeSpec('');
    const realStart = readProcStat(pid)?.startTicks ?? '';
    writeFileSync(
      path.join(dir, 'state.json'),
      JSON.stringify({ id, spec, pid, startTicks: String(Number(realStart) - 1000), startedAt: Date.now() - 60_000, ports: [], launch: { cwd: path.join(dir, 'work'), env: {}, procsFiles: [] } }),
    );
    const driver = await restart();
    const state = await waitFor('the stale container to be reported exited', async () => {
      const found = (await driver.list()).find((entry) => entry.id === id);
      return found?.status === 'exited' ? found : undefined;
    });
    assert.equal(state.exitCode, undefined);
    assert.match(state.reason ?? '', /exit code is unknown/);
    await driver.stop(id, 1);
    await driver.remove(id);
    assert.equal(readProcStat(pid)?.state !== undefined && readProcStat(pid)?.state !== 'Z', true, 'the unrelated process still runs');
  });

  test('memory and CPU limits are enforced where the host allows, and said not to be otherwise', async (t) => {
    const { driver, dataDir } = await openDriver(t, harness);
    const support = (driver as ProcessDriver).cgroupSupport;
    t.diagnostic(`cgroup support: ${JSON.stringify({ version: support.version, memory: support.memory, cpu: support.cpu, notes: support.notes })}`);
    if (!support.memory || !support.cpu) assert.ok(support.notes.length > 0, 'what is not enforced is explained');
    const script = `console.log('ready'); const chunks = []; setInterval(() => { chunks.push(Buffer.alloc(16 * 1024 * 1024, 1)); }, 20);`;
    const state = await driver.start(nodeSpec(script, { memory: 96, memoryReservation: 64, cpu: 256 }));
    const record = JSON.parse(readFileSync(path.join(dataDir, PROCESS_CONTAINERS_FOLDER, state.id, 'state.json'), 'utf8')) as { cgroup?: { version: number; memoryDir?: string; cpuDir?: string } };
    if (support.cpu) {
      assert.ok(record.cgroup?.cpuDir, 'a cpu cgroup was made');
      const file = record.cgroup.version === 2 ? 'cpu.weight' : 'cpu.shares';
      assert.equal(readFileSync(path.join(record.cgroup.cpuDir, file), 'utf8').trim(), record.cgroup.version === 2 ? '10' : '256');
    }
    if (support.memory) {
      const done = await driver.wait(state.id);
      assert.equal(done.exitCode, 137, `killed by the OOM killer: ${JSON.stringify(done)}`);
      assert.match(done.reason ?? '', /^OutOfMemoryError/);
    } else {
      await waitForLog(driver, state.id, /^ready$/);
      await driver.stop(state.id, 1);
    }
  });

  describe('who a container runs as (the agent is root)', () => {
    const asRoot = process.getuid?.() === 0;
    const idsOf = (name: string) => {
      const user = lookupUser(name);
      assert.ok(!('error' in user), `the host has user ${name} (scripts/install-deps.sh creates ${DEFAULT_TASK_USER}): ${JSON.stringify(user)}`);
      return `${user.uid} ${user.gid}`;
    };
    const idsIn = async (driver: Driver, id: string) => {
      await driver.wait(id);
      return (await collectLogs(driver, id)).map((entry) => entry.text)[0];
    };
    const refusal = (pattern: RegExp) => (error: unknown) => {
      assert.ok(error instanceof WharfError && error.code === 'WHARF_E_CONTAINER_START_FAILED', String(error));
      assert.match(error.message, pattern);
      return true;
    };
    const printIds = `console.log(process.getuid(), process.getgid())`;

    test('a container whose definition names no user runs as the unprivileged task user, inside its cgroups', { skip: !asRoot && 'an agent that is not root runs tasks as itself' }, async (t) => {
      const { driver, dataDir } = await openDriver(t, harness);
      const state = await driver.start(nodeSpec(`${printIds}; console.log(require('fs').readFileSync('/proc/self/cgroup', 'utf8').trim().split('\\n').join(' '))`, { memory: 128 }));
      await driver.wait(state.id);
      const [ids, cgroups = ''] = (await collectLogs(driver, state.id)).map((entry) => entry.text);
      assert.equal(ids, idsOf(DEFAULT_TASK_USER));
      const record = JSON.parse(readFileSync(path.join(dataDir, PROCESS_CONTAINERS_FOLDER, state.id, 'state.json'), 'utf8')) as { cgroup?: { version: number; memoryDir?: string } };
      if ((driver as ProcessDriver).cgroupSupport.memory) {
        // The cgroup is joined as root before the switch to the task user: the process is in it.
        const memory = cgroups.split(' ').find((line) => (record.cgroup?.version === 2 ? line.startsWith('0::') : /^\d+:[^:]*\bmemory\b[^:]*:/.test(line)));
        const inside = memory?.slice(memory.indexOf(':', memory.indexOf(':') + 1) + 1);
        assert.ok(inside && inside !== '/' && record.cgroup?.memoryDir?.endsWith(inside), `the process's memory cgroup (${cgroups}) is the container's ${record.cgroup?.memoryDir}`);
      }
    });

    test('another user, root included, is refused unless the agent allows it by name or uid', { skip: !asRoot && 'needs root to switch user' }, async (t) => {
      const { driver } = await openDriver(t, harness);
      await assert.rejects(driver.start(nodeSpec(printIds, { user: 'nobody' })), refusal(/user "nobody" is not allowed on this host.*WHARF_AGENT_ALLOWED_TASK_USERS/));
      await assert.rejects(driver.start(nodeSpec(printIds, { user: 'root' })), refusal(/user "root" is not allowed/));
      await assert.rejects(driver.start(nodeSpec(printIds, { user: '0:0' })), refusal(/user "0:0" is not allowed/));
      await assert.rejects(driver.start(nodeSpec(printIds, { user: 'no-such-user-here' })), refusal(/does not exist on this host/));
      const named = await driver.start(nodeSpec(printIds, { user: DEFAULT_TASK_USER }));
      assert.equal(await idsIn(driver, named.id), idsOf(DEFAULT_TASK_USER), 'the task user itself may be named');

      const allowing = await openDriver(t, { ...harness, makeDriver: (dataDir) => createProcessDriver({ dataDir, runAs: { taskUser: DEFAULT_TASK_USER, allowedUsers: ['nobody', '0'], allowPrivileged: false } }) });
      const nobody = await allowing.driver.start(nodeSpec(printIds, { user: 'nobody' }));
      assert.equal(await idsIn(allowing.driver, nobody.id), idsOf('nobody'));
      const root = await allowing.driver.start(nodeSpec(printIds, { user: 'root' }));
      assert.equal(await idsIn(allowing.driver, root.id), '0 0', 'root allowed by its uid');
    });

    test('a privileged container is refused unless the agent allows it, and then runs as root', { skip: !asRoot && 'needs root' }, async (t) => {
      const { driver } = await openDriver(t, harness);
      await assert.rejects(driver.start(nodeSpec(printIds, { privileged: true })), refusal(/privileged containers are refused on this host.*WHARF_AGENT_ALLOW_PRIVILEGED/));
      const allowing = await openDriver(t, { ...harness, makeDriver: (dataDir) => createProcessDriver({ dataDir, runAs: { taskUser: DEFAULT_TASK_USER, allowedUsers: [], allowPrivileged: true } }) });
      const state = await allowing.driver.start(nodeSpec(printIds, { privileged: true }));
      assert.equal(await idsIn(allowing.driver, state.id), '0 0');
    });

    test("the task user cannot read the agent's records of another container (its environment)", { skip: !asRoot && 'needs root to switch user' }, async (t) => {
      const { driver, dataDir } = await openDriver(t, harness);
      const first = await driver.start(nodeSpec('setInterval(() => {}, 1000)', { environment: { DB_PASSWORD: 'hunter2' } }));
      const stateFile = path.join(dataDir, PROCESS_CONTAINERS_FOLDER, first.id, 'state.json');
      assert.match(readFileSync(stateFile, 'utf8'), /hunter2/, 'the record holds the environment');
      const reader = await driver.start(nodeSpec(`try { require('fs').readFileSync(process.argv[1], 'utf8'); console.log('read'); } catch (e) { console.log(e.code); }`, { command: [stateFile] }));
      await driver.wait(reader.id);
      assert.equal((await collectLogs(driver, reader.id))[0]?.text, 'EACCES');
      await driver.stop(first.id, 1);
    });
  });
});
