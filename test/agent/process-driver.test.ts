// The process driver: the driver contract on real child processes, plus what only it does.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { containerSpec, type ContainerSpecInput } from '../support/container-spec.js';
import { createProcessDriver, PROCESS_CONTAINERS_FOLDER, PROCESS_IMAGE, type ProcessDriver } from '../../src/agent/drivers/process.js';
import { readProcStat } from '../../src/agent/drivers/proc.js';
import { WharfError } from '../../src/model/errors.js';
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

  test('a container started as another user runs with that uid', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to switch user');
    const { driver } = await openDriver(t, harness);
    const state = await driver.start(nodeSpec(`console.log(process.getuid(), process.getgid())`, { user: 'nobody' }));
    await driver.wait(state.id);
    const [line] = (await collectLogs(driver, state.id)).map((entry) => entry.text);
    const nobody = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith('nobody:'))?.split(':');
    assert.equal(line, `${nobody?.[2]} ${nobody?.[3]}`);
  });
});
