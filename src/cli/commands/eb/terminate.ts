/**
 * `wharf eb terminate [environment] [--force] [--all]`: terminates the environment (its tasks,
 * routes and scaling go with it) after the user types its name to confirm (unless --force), and
 * waits until it is Terminated. `--all` terminates every environment of the project's application
 * and then deletes the application, its versions and saved configurations (confirmed by typing the
 * application's name).
 */
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { EnvironmentEventView, EnvironmentView } from '../../../model/api/platform.js';
import { wharfError } from '../../../model/errors.js';
import { describeEnvironment, ebCall } from './api.js';
import type { EbContext } from './eb-command.js';
import { ebCommand } from './eb-command.js';
import { timeoutMs } from './options.js';
import type { Project } from './project.js';
import { environmentOf, findProject, requireProject, writeProjectConfig } from './project.js';
import { followOperation } from './wait.js';

interface Options {
  force?: boolean;
  all?: boolean;
  timeout?: string;
}

interface Result {
  Environments: EnvironmentView[];
  Events: EnvironmentEventView[];
  /** With --all: the application deleted. */
  DeletedApplication?: string;
}

/** The next line typed on stdin, or undefined when stdin ends first (nothing to read: not a terminal, no pipe). */
function readLine(): Promise<string | undefined> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  return new Promise<string | undefined>((resolve) => {
    rl.once('line', (line) => resolve(line));
    rl.once('close', () => resolve(undefined));
  }).finally(() => rl.close());
}

/** Asks the user to type `expected`; anything else stops the command before it changes anything. */
async function confirm(ctx: Pick<EbContext, 'json'>, warning: string, what: string, expected: string): Promise<void> {
  (ctx.json ? process.stderr : process.stdout).write(`${warning}\nTo confirm, type the ${what}: `);
  const answer = await readLine();
  if (answer === undefined) throw wharfError('WHARF_E_USAGE', { reason: `Nothing was terminated: no confirmation could be read. Type the ${what} when asked, or pass --force` });
  if (answer.trim() !== expected) throw wharfError('WHARF_E_USAGE', { reason: `Nothing was terminated: "${answer.trim()}" is not "${expected}". Type the ${what} exactly, or pass --force` });
}

/** Clears the project's default environment when it is one of `names` (it no longer exists). */
async function forgetDefault(project: Project | undefined, names: readonly string[]): Promise<void> {
  if (project?.config.defaultEnvironment && names.includes(project.config.defaultEnvironment)) await writeProjectConfig(project.root, { defaultEnvironment: null });
}

export function register(eb: Command): void {
  ebCommand<Options, Result>(eb, {
    name: 'terminate [environment]',
    description: 'Terminate the environment (--all: every environment, then the application) and wait until it is gone',
    options: (c) =>
      c
        .option('--force', 'do not ask for confirmation')
        .option('--all', 'terminate every environment of the application, then delete the application, its versions and saved configurations')
        .option('--timeout <minutes>', 'stop waiting after this long (default 30); the termination goes on'),
    run: async (ctx, [named], o) => {
      const started = Date.now();
      const waitMs = timeoutMs(o.timeout);
      if (o.all) {
        if (named !== undefined) throw wharfError('WHARF_E_USAGE', { reason: '--all terminates every environment of the project\'s application; name no environment with it' });
        const project = await requireProject(ctx.cwd);
        const applicationName = project.config.applicationName;
        const { Environments: live } = await ebCall<{ Environments: EnvironmentView[] }>(ctx.client, 'DescribeEnvironments', { ApplicationName: applicationName });
        if (!o.force) {
          const names = live.map((e) => e.EnvironmentName).join(', ') || 'none';
          await confirm(ctx, `The application "${applicationName}", its environments (${names}), versions and saved configurations will be deleted.`, 'application name', applicationName);
        }
        const terminating = await Promise.all(live.map((e) => ebCall<EnvironmentView>(ctx.client, 'TerminateEnvironment', { EnvironmentId: e.EnvironmentId })));
        const environments: EnvironmentView[] = [];
        const events: EnvironmentEventView[] = [];
        for (const environment of terminating) {
          ctx.say(`Terminating environment ${environment.EnvironmentName} (${environment.EnvironmentId}).`);
          const done = await followOperation(ctx, environment, started, 'Terminated', Math.max(1, waitMs - (Date.now() - started)));
          environments.push(done.environment);
          events.push(...done.events);
        }
        await ebCall(ctx.client, 'DeleteApplication', { ApplicationName: applicationName });
        await forgetDefault(project, live.map((e) => e.EnvironmentName));
        return { Environments: environments, Events: events, DeletedApplication: applicationName };
      }

      const project = await findProject(ctx.cwd);
      const environmentName = environmentOf(named as string | undefined, project);
      const current = await describeEnvironment(ctx.client, environmentName);
      if (!o.force) await confirm(ctx, `The environment "${environmentName}" and all its instances will be terminated.`, 'environment name', environmentName);
      const terminating = await ebCall<EnvironmentView>(ctx.client, 'TerminateEnvironment', { EnvironmentId: current.EnvironmentId });
      const { environment, events } = await followOperation(ctx, terminating, started, 'Terminated', waitMs);
      await forgetDefault(project, [environmentName]);
      return { Environments: [environment], Events: [...events] };
    },
    render: (r) =>
      [
        ...r.Environments.map((e) => `Environment ${e.EnvironmentName} is terminated.`),
        ...(r.DeletedApplication ? [`Application ${r.DeletedApplication} is deleted.`] : []),
      ].join('\n') || 'Nothing to terminate.',
  });
}
