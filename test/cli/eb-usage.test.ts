// `wharf eb` usage errors, through the real CLI against a real controller: exit 1, a message that
// says how to fix it, no stack, and nothing changed.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { assertUserError, COMMAND_MS, runWharf } from '../support/cli.js';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { suiteScope, tempDir } from '../support/temp.js';

describe('wharf eb usage errors', () => {
  const scope = suiteScope();
  let controller: TestController;
  before(async () => {
    controller = await startTestController(scope, { logLevel: 'warn' });
  });

  test('no project, no environment, bad flags, and abort, swap and clone of missing environments exit 1 with a message', async (t) => {
    const dir = await tempDir(t, 'wharf-eb-usage-');
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'usage', private: true, scripts: { start: 'node server.js' } }));
    const options = { cwd: dir, env: { WHARF_ENDPOINT: controller.url }, timeoutMs: COMMAND_MS };
    const eb = (args: string[]) => runWharf(['eb', ...args], options);

    assertUserError(await eb(['create', 'usage-dev']), /is not in a Wharf EB project .*Run `wharf eb init/);
    const init = await eb(['init', 'usage-app']);
    assert.equal(init.code, 0, init.stderr);

    // Independent of each other: run side by side.
    const [again, noEnvironment, envvars, scaleFlag, scale, setenv, platform, use, abort, swap, clone] = await Promise.all([
      eb(['init']),
      eb(['status']),
      eb(['create', 'usage-dev', '--envvars', 'GREETING']),
      eb(['create', 'usage-dev', '--scale', 'many']),
      eb(['scale', 'two', 'usage-dev']),
      eb(['setenv', 'NOEQUALS', '-e', 'usage-dev']),
      eb(['init', '-p', 'cobol']),
      eb(['use', 'missing-env']),
      eb(['abort', 'usage-dev']),
      runWharf(['--json', 'eb', 'swap', 'a', '-n', 'b'], options),
      eb(['clone']),
    ]);
    assert.match(again.stdout, /^Using the existing application usage-app\.$/m, 'init again keeps the application');
    assertUserError(noEnvironment, /No environment given, and .*config\.yml sets no default environment\. Name the environment on the command line, or set a default with `wharf eb use <environment>`/);
    assertUserError(envvars, /--envvars takes NAME=value pairs, e\.g\. GREETING=hi; "GREETING" has no "="/);
    assertUserError(scaleFlag, /--scale takes a whole number of at least 1, not "many"/);
    assertUserError(scale, /scale takes a whole number of at least 1, not "two"/);
    assertUserError(setenv, /setenv takes NAME=value pairs/);
    assertUserError(platform, /--platform "cobol" is not a platform Wharf runs/);
    assertUserError(use, /No running environment is named or numbered missing-env/);
    assertUserError(abort, /No running environment is named or numbered usage-dev/);
    assert.equal(swap.code, 1);
    assert.equal(JSON.parse(swap.stderr).error.code, 'WHARF_E_ENVIRONMENT_NOT_FOUND');
    assertUserError(clone, /No environment given, and .*config\.yml sets no default environment/);

    const versions = await controller.call('POST', '/v1/elasticbeanstalk/DescribeApplicationVersions', { ApplicationName: 'usage-app' });
    assert.deepEqual(versions.json.ApplicationVersions, [], 'nothing was packed or uploaded');
  });
});
