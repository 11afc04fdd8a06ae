/**
 * The set-up of the tests of `wharf`'s AWS-named commands and the AWS CLI's grammar they follow
 * (test/cli/aws-grammar.test.ts, aws-commands.test.ts): a controller of their own with one task
 * definition family registered, and `wharf --endpoint <it>`.
 */
import { hasJmespath } from '../../src/cli/aws/query.js';
import type { CliResult } from './cli.js';
import { assertOk, runWharf } from './cli.js';
import type { TestController } from './controller.js';
import { startTestController } from './controller.js';
import type { CleanupScope } from './temp.js';

/** A test's `skip` for `--query` and `wait`: why it cannot run (the optional npm package jmespath is missing), or false. */
export const NO_JMESPATH: false | string = (await hasJmespath()) ? false : 'the npm package jmespath is not installed (--query and wait need it)';

/** The task definition `grammar`, for the tests' services: one process container that idles. */
const CONTAINERS = JSON.stringify([{ name: 'app', image: 'wharf/process', memory: 64, command: ['node', '-e', 'setInterval(() => {}, 1000)'] }]);

export interface GrammarController {
  readonly api: TestController;
  /** Runs `wharf --endpoint <api> args…`, signed with the controller's key. */
  wharf(...args: string[]): Promise<CliResult>;
}

/** Starts a controller (stopped after `scope`) and registers the task definition family `grammar` through `wharf`. */
export async function startGrammarController(scope: CleanupScope): Promise<GrammarController> {
  const api = await startTestController(scope);
  const wharf = (...args: string[]) => runWharf(['--endpoint', api.url, ...args]);
  assertOk(await wharf('ecs', 'register-task-definition', '--family', 'grammar', '--container-definitions', CONTAINERS), 'register');
  return { api, wharf };
}
