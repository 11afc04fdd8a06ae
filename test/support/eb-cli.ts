/**
 * A `wharf eb` project folder against a cluster with one agent and a router, for the tests of
 * `wharf eb create` and what a new environment can then be switched to.
 */
import type { CliResult } from './cli.js';
import { assertOk, COMMAND_MS, runWharf } from './cli.js';
import type { TestCluster } from './cluster.js';
import { startTestCluster } from './cluster.js';
import { startTestRouter } from './router.js';
import type { CleanupScope } from './temp.js';
import { tempDir } from './temp.js';

/** Reads one option setting: its value, or undefined when the environment has none. */
export type OptionSetting = (namespace: string, option: string) => string | undefined;

export interface EbCliProject {
  readonly cluster: TestCluster;
  /** The project folder the commands run in, empty until `wharf eb init`. */
  readonly dir: string;
  /** Runs `wharf args…` in the project folder against the cluster (killed after `timeoutMs`), with `env` added to its environment. */
  wharf(args: readonly string[], timeoutMs?: number, env?: Record<string, string>): Promise<CliResult>;
  /** An environment's option settings, as `wharf elasticbeanstalk describe-configuration-settings` prints them. */
  settings(application: string, environment: string): Promise<OptionSetting>;
}

/**
 * Starts a cluster with one agent (`hostId`) and a router (load-balanced environments are Ready
 * once the router sees their targets healthy), and makes an empty project folder (`prefix`);
 * everything is stopped and removed after `scope`.
 */
export async function startEbCliProject(scope: CleanupScope, options: { readonly hostId: string; readonly prefix: string }): Promise<EbCliProject> {
  const cluster = await startTestCluster(scope, { serviceSettleMs: 500 });
  await cluster.startAgent({ hostId: options.hostId });
  await startTestRouter(scope, cluster.controller);
  const dir = await tempDir(scope, options.prefix);
  const wharf = (args: readonly string[], timeoutMs = COMMAND_MS, env: Record<string, string> = {}) => runWharf(args, { cwd: dir, env: { WHARF_ENDPOINT: cluster.controller.url, ...env }, timeoutMs });
  return {
    cluster,
    dir,
    wharf,
    settings: async (application, environment) => {
      const res = assertOk(await wharf(['--json', 'elasticbeanstalk', 'describe-configuration-settings', '--application-name', application, '--environment-name', environment]), 'describe-configuration-settings');
      const options = JSON.parse(res.stdout).ConfigurationSettings[0].OptionSettings as { Namespace: string; OptionName: string; Value?: string }[];
      return (namespace, option) => options.find((o) => o.Namespace === namespace && o.OptionName === option)?.Value;
    },
  };
}
