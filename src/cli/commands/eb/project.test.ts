// The project file: read as the EB CLI writes it, written keeping what Wharf does not know,
// found from subfolders, and the default environment used when none is named.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { WharfError } from '../../../model/errors.js';
import { environmentOf, findProject, parseProjectConfig, requireProject, updateProjectConfig, writeProjectConfig } from './project.js';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wharf-eb-project-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const EB_CLI_FILE = `branch-defaults:
  main:
    environment: shop-main
    group_suffix: null
  default:
    environment: shop-dev
global:
  application_name: shop
  branch: null
  default_ec2_keyname: null
  default_platform: Node.js 20 running on 64bit Amazon Linux 2023
  default_region: us-east-1
  include_git_submodules: true
  profile: eb-cli
  sc: git
  workspace_type: Application
# kept as written
deploy:
  artifact: build/app.zip
`;

test('a config.yml written by the EB CLI reads as its application, platform and default environment', () => {
  assert.deepEqual(parseProjectConfig(EB_CLI_FILE, 'config.yml'), { applicationName: 'shop', defaultPlatform: 'Node.js 20 running on 64bit Amazon Linux 2023', defaultEnvironment: 'shop-dev' });
  assert.deepEqual(parseProjectConfig('global:\n  application_name: a\n', 'c'), { applicationName: 'a', defaultPlatform: undefined, defaultEnvironment: undefined });
  assert.deepEqual(parseProjectConfig('', 'c'), { applicationName: undefined, defaultPlatform: undefined, defaultEnvironment: undefined });
});

test('a broken config.yml is a usage error naming the file and the key', () => {
  assert.throws(() => parseProjectConfig('global: [unclosed', '/p/.elasticbeanstalk/config.yml'), (e: unknown) => e instanceof WharfError && e.code === 'WHARF_E_USAGE' && /\/p\/\.elasticbeanstalk\/config\.yml is not valid YAML/.test(e.message));
  assert.throws(() => parseProjectConfig('global:\n  application_name: [1, 2]\n', 'cfg'), (e: unknown) => e instanceof WharfError && /cfg: global\.application_name/.test(e.message));
});

test('a new config.yml has the EB CLI layout; updates keep every other key and comment', () => {
  const fresh = updateProjectConfig(undefined, { applicationName: 'shop', defaultPlatform: 'nodejs' });
  assert.equal(fresh, 'branch-defaults:\n  default:\n    environment: null\nglobal:\n  application_name: shop\n  default_platform: nodejs\n  workspace_type: Application\n');
  assert.deepEqual(parseProjectConfig(fresh, 'c'), { applicationName: 'shop', defaultPlatform: 'nodejs', defaultEnvironment: undefined });

  const used = updateProjectConfig(EB_CLI_FILE, { defaultEnvironment: 'shop-prod' });
  assert.equal(parseProjectConfig(used, 'c').defaultEnvironment, 'shop-prod');
  assert.match(used, /main:\n {4}environment: shop-main/, "another branch's default stays");
  assert.match(used, /# kept as written\ndeploy:\n {2}artifact: build\/app.zip/);
  assert.match(used, /profile: eb-cli/);

  const cleared = updateProjectConfig(used, { defaultEnvironment: null, defaultPlatform: null });
  assert.deepEqual(parseProjectConfig(cleared, 'c'), { applicationName: 'shop', defaultPlatform: undefined, defaultEnvironment: undefined });
  // `global:` with nothing under it, or no branch-defaults at all, still takes values.
  assert.equal(parseProjectConfig(updateProjectConfig('global:\n', { applicationName: 'x', defaultEnvironment: 'x-dev' }), 'c').defaultEnvironment, 'x-dev');
});

test('the project is found from a subfolder; without one, requireProject says to run init', async (t) => {
  const root = await tempDir(t);
  await assert.rejects(requireProject(root), /not in a Wharf EB project .*wharf eb init/);
  const file = await writeProjectConfig(root, { applicationName: 'shop' });
  assert.equal(file, path.join(root, '.elasticbeanstalk', 'config.yml'));
  await mkdir(path.join(root, 'src', 'deep'), { recursive: true });
  const project = await findProject(path.join(root, 'src', 'deep'));
  assert.equal(project?.root, root);
  assert.equal((await requireProject(path.join(root, 'src'))).config.applicationName, 'shop');
  await writeFile(file, 'global:\n  application_name: null\n');
  await assert.rejects(requireProject(root), /names no application/);
  await writeProjectConfig(root, { applicationName: 'shop', defaultEnvironment: 'shop-dev' });
  assert.match(await readFile(file, 'utf8'), /environment: shop-dev/);
});

test('the environment is the one named, else the default, else a usage error saying how to give one', () => {
  const project = { root: '/p', file: '/p/.elasticbeanstalk/config.yml', config: { applicationName: 'a', defaultPlatform: undefined, defaultEnvironment: 'a-dev' } };
  assert.equal(environmentOf('other', project), 'other');
  assert.equal(environmentOf(undefined, project), 'a-dev');
  const noDefault = { ...project, config: { ...project.config, defaultEnvironment: undefined } };
  assert.throws(() => environmentOf(undefined, noDefault), (e: unknown) => e instanceof WharfError && e.code === 'WHARF_E_USAGE' && /sets no default environment.*wharf eb use/.test(e.message));
  assert.throws(() => environmentOf(undefined, undefined), /not in a Wharf EB project.*wharf eb use/);
});
