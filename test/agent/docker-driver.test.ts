// The docker driver: the driver contract against a real Docker Engine, plus what only it does.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { containerSpec, type ContainerSpecInput } from '../support/container-spec.js';
import { createDockerDriver } from '../../src/agent/drivers/docker.js';
import { WharfError } from '../../src/model/errors.js';
import { BUSYBOX_IMAGE, NODE_IMAGE, NODE_IN_IMAGE, useDocker, type TestDocker } from '../support/docker.js';
import { suiteScope } from '../support/temp.js';
import { waitFor } from '../support/wait.js';
import { collectLogs, driverContract, HTTP_APP, httpGet, newTaskId, openDriver, type DriverHarness } from './driver-contract.js';

function nodeSpec(script: string, overrides: Partial<ContainerSpecInput> = {}) {
  return containerSpec({ taskId: newTaskId(), name: 'app', image: NODE_IMAGE, entryPoint: [NODE_IN_IMAGE, '-e', script], workingDirectory: '/tmp', ...overrides });
}

function harnessFor(engine: TestDocker): DriverHarness {
  // One agent id per test file: files sharing the suite's engine never see each other's containers.
  const agentId = `test-${randomBytes(6).toString('hex')}`;
  return {
    makeDriver: (dataDir, options = {}) => createDockerDriver({ socketPath: engine.socketPath, dataDir, agentId, ...options }),
    nodeSpec,
    nodePath: NODE_IN_IMAGE,
    missingExecutableSpec: () => containerSpec({ taskId: newTaskId(), name: 'app', image: NODE_IMAGE, entryPoint: ['/nonexistent/wharf-test-binary'] }),
  };
}

describe('docker driver', () => {
  // One engine for the file: the suite runner's, or a private one stopped after the last test here.
  const scope = suiteScope();
  let engine: Promise<TestDocker> | undefined;
  const setup = async () => harnessFor(await (engine ??= useDocker(scope)));

  driverContract('docker', setup);

  describe('docker driver specifics', () => {
    let harness: DriverHarness;
    before(async () => {
      harness = await setup();
    });

    test('the target is the container’s own address and port, and the published host port serves too', async (t) => {
      const { driver } = await openDriver(t, harness);
      const state = await driver.start(nodeSpec(HTTP_APP, { environment: { GREETING: 'direct' }, portMappings: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }] }));
      const [binding] = state.ports;
      assert.ok(binding);
      assert.notEqual(binding.target.host, '127.0.0.1');
      assert.match(binding.target.host, /^\d+\.\d+\.\d+\.\d+$/);
      assert.equal(binding.target.port, 8080);
      const direct = await waitFor('HTTP from the container address', () => httpGet(`http://${binding.target.host}:8080/`), { timeoutMs: 15_000 });
      assert.equal(JSON.parse(direct.body).greeting, 'direct');
      const published = await waitFor('HTTP through the published port', () => httpGet(`http://127.0.0.1:${binding.hostPort}/`), { timeoutMs: 15_000 });
      assert.equal(published.status, 200);
    });

    test('a missing image fails with WHARF_E_IMAGE_NOT_FOUND and the engine’s message', async (t) => {
      const { driver } = await openDriver(t, harness);
      await assert.rejects(driver.start(containerSpec({ taskId: newTaskId(), name: 'app', image: 'wharf-test/does-not-exist:1' })), (error: unknown) => {
        assert.ok(error instanceof WharfError && error.code === 'WHARF_E_IMAGE_NOT_FOUND', String(error));
        assert.match(error.message, /No such image: wharf-test\/does-not-exist:1/i);
        return true;
      });
      assert.deepEqual(await driver.list(), []);
    });

    test('a privileged container is refused unless the agent allows it, and then gets the engine\'s privileges', async (t) => {
      const { driver } = await openDriver(t, harness);
      await assert.rejects(driver.start(nodeSpec('setInterval(() => {}, 1000)', { privileged: true })), (error: unknown) => {
        assert.ok(error instanceof WharfError && error.code === 'WHARF_E_CONTAINER_START_FAILED', String(error));
        assert.match(error.message, /privileged containers are refused on this host.*WHARF_AGENT_ALLOW_PRIVILEGED/);
        return true;
      });
      assert.deepEqual(await driver.list(), [], 'nothing was created');
      const allowing = await openDriver(t, { ...harness, makeDriver: (dataDir) => harness.makeDriver(dataDir, { allowPrivileged: true }) });
      // A privileged container sees every host device; an unprivileged one only a handful.
      const script = `console.log(require('fs').readdirSync('/dev').length)`;
      const devices = async (id: string) => {
        await allowing.driver.wait(id);
        return Number((await collectLogs(allowing.driver, id))[0]?.text);
      };
      const plain = await devices((await allowing.driver.start(nodeSpec(script))).id);
      const privileged = await allowing.driver.start(nodeSpec(script, { privileged: true })).then(
        (state) => devices(state.id),
        (error: unknown) => error,
      );
      if (privileged instanceof WharfError) {
        // An engine that itself runs in a sandbox (as on some CI machines) cannot grant every capability:
        // then the engine's own refusal proves the privileges were asked for.
        assert.doesNotMatch(privileged.message, /refused on this host/);
        assert.match(privileged.message, /caps|capabilit|operation not permitted/i);
        t.diagnostic(`this engine cannot run privileged containers: ${privileged.message}`);
      } else {
        assert.ok(typeof privileged === 'number' && privileged > plain, `the privileged container sees more of /dev (${String(privileged)} > ${plain})`);
      }
    });

    test('wharf/process is refused: it names a host process', async (t) => {
      const { driver } = await openDriver(t, harness);
      await assert.rejects(driver.start(containerSpec({ taskId: newTaskId(), name: 'app', image: 'wharf/process', entryPoint: ['true'] })), /process driver/);
    });

    test('memory and cpu reach the engine; a CMD-SHELL health check runs in the image’s shell', async (t) => {
      const { driver } = await openDriver(t, harness);
      const state = await driver.start(
        containerSpec({
          taskId: newTaskId(),
          name: 'shell',
          image: BUSYBOX_IMAGE,
          command: ['sh', '-c', 'echo ready; exec sleep 300'],
          memory: 64,
          memoryReservation: 32,
          cpu: 512,
          healthCheck: { command: ['CMD-SHELL', 'test -d /tmp'], interval: 0.3, timeout: 5, retries: 2 },
        }),
      );
      const stats = await driver.stats(state.id);
      assert.equal(stats.memoryLimitBytes, 64 * 1024 * 1024);
      await waitFor('HEALTHY', async () => (await driver.inspect(state.id)).health === 'HEALTHY', { timeoutMs: 15_000 });
      assert.ok((await collectLogs(driver, state.id)).some((line) => line.text === 'ready'));
      const stopped = await driver.stop(state.id, 5);
      assert.equal(stopped.exitCode, 143, 'docker-init passed SIGTERM on to sleep');
    });
  });
});
