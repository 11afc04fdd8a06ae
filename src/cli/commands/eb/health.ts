/**
 * `wharf eb health [environment] [--refresh]`: the environment's enhanced health
 * (DescribeEnvironmentHealth) over a table of its instances (DescribeInstancesHealth; Wharf's
 * instances are the environment's tasks). `--refresh` redraws it every 2 seconds until Ctrl-C.
 */
import type { Command } from 'commander';
import type { ApiClient } from '../../client.js';
import { ebCall } from './api.js';
import { ebCommand, interruption, pause } from './eb-command.js';
import { environmentOf, findProject } from './project.js';
import type { EnvironmentHealthView, InstanceHealthView } from './render.js';
import { healthLines } from './render.js';

/** How often `--refresh` redraws. */
export const HEALTH_REFRESH_MS = 2000;

interface Options {
  refresh?: boolean;
}

interface Result {
  Environment: EnvironmentHealthView;
  Instances: InstanceHealthView[];
}

async function healthOf(client: ApiClient, environmentName: string): Promise<Result> {
  const [environment, instances] = await Promise.all([
    ebCall<EnvironmentHealthView>(client, 'DescribeEnvironmentHealth', { EnvironmentName: environmentName }),
    ebCall<{ InstanceHealthList: InstanceHealthView[] }>(client, 'DescribeInstancesHealth', { EnvironmentName: environmentName }),
  ]);
  return { Environment: environment, Instances: instances.InstanceHealthList };
}

const render = (r: Result) => healthLines(r.Environment, r.Instances);

export function register(eb: Command): void {
  ebCommand<Options, Result>(eb, {
    name: 'health [environment]',
    description: "Show the environment's health and each instance's",
    options: (c) => c.option('-r, --refresh', `redraw every ${HEALTH_REFRESH_MS / 1000} s until Ctrl-C`),
    run: async (ctx, [named], o) => {
      const environmentName = environmentOf(named as string | undefined, await findProject(ctx.cwd));
      if (!o.refresh) return healthOf(ctx.client, environmentName);
      const stopped = interruption();
      const clear = !ctx.json && process.stdout.isTTY === true;
      while (!stopped.aborted) {
        const frame = await healthOf(ctx.client, environmentName);
        if (ctx.json) process.stdout.write(JSON.stringify(frame) + '\n');
        else process.stdout.write(`${clear ? '\x1b[2J\x1b[H' : '\n'}${render(frame)}\n`);
        await pause(HEALTH_REFRESH_MS, stopped);
      }
      return undefined;
    },
    render,
  });
}
