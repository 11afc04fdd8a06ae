/**
 * `wharf eb clone [environment] [-n clone-name] [-c cname] [--exact]`: a new environment like the
 * running one, as the EB CLI makes it: the environment's configuration saved
 * (CreateConfigurationTemplate from its EnvironmentId), then CreateEnvironment from that saved
 * configuration with the version the environment runs; the command prints the clone's events
 * until it is Ready (exit 1 if the launch fails or --timeout passes). The first step of a
 * blue/green deployment: deploy the next version to the clone, then `wharf eb swap`.
 */
import type { Command } from 'commander';
import type { EnvironmentEventView, EnvironmentView } from '../../../model/api/platform.js';
import { wharfError } from '../../../model/errors.js';
import { ENVIRONMENT_NAME_PATTERN } from '../../../model/platform.js';
import { describeEnvironment, ebCall } from './api.js';
import { ebCommand } from './eb-command.js';
import { labelTimestamp } from './labels.js';
import { timeoutMs } from './options.js';
import { environmentOf, findProject } from './project.js';
import { outcomeLine } from './render.js';
import { followOperation } from './wait.js';

interface Options {
  cloneName?: string;
  cname?: string;
  exact?: boolean;
  timeout?: string;
}

interface Result {
  /** The saved configuration the clone was created from. */
  TemplateName: string;
  Environment: EnvironmentView;
  Events: readonly EnvironmentEventView[];
}

/** `<source>-clone`, cut so that it stays a valid environment name (at most 40 characters). */
export function defaultCloneName(source: string): string {
  return `${source.slice(0, 34).replace(/-+$/, '')}-clone`;
}

export function register(eb: Command): void {
  ebCommand<Options, Result>(eb, {
    name: 'clone [environment]',
    description: 'Create a copy of the environment (its settings and version) and wait until it is Ready',
    options: (c) =>
      c
        .option('-n, --clone-name <name>', "the new environment's name (default: <environment>-clone)")
        .option('-c, --cname <prefix>', 'the CNAME prefix of the new environment (default: its name)')
        .option('--exact', "keep the environment's platform version (Wharf has one version per platform, so a clone always keeps it)")
        .option('--timeout <minutes>', 'stop waiting after this long (default 30); the launch goes on'),
    run: async (ctx, [named], o) => {
      const started = Date.now();
      const waitMs = timeoutMs(o.timeout);
      const source = await describeEnvironment(ctx.client, environmentOf(named as string | undefined, await findProject(ctx.cwd)));
      const cloneName = o.cloneName ?? defaultCloneName(source.EnvironmentName);
      if (!ENVIRONMENT_NAME_PATTERN.test(cloneName)) {
        throw wharfError('WHARF_E_USAGE', { reason: `"${cloneName}" is not a valid environment name: 4 to 40 letters, digits and hyphens, not starting or ending with a hyphen (give another with -n)` });
      }
      if (!source.VersionLabel) throw wharfError('WHARF_E_USAGE', { reason: `Environment ${source.EnvironmentName} runs no version yet, so there is nothing to clone; deploy one first (\`wharf eb deploy ${source.EnvironmentName}\`)` });
      // Checked before anything is saved: a clone that cannot be created leaves nothing behind.
      const { Environments: namesakes } = await ebCall<{ Environments: EnvironmentView[] }>(ctx.client, 'DescribeEnvironments', { EnvironmentNames: [cloneName] });
      if (namesakes.some((e) => e.Status !== 'Terminated')) throw wharfError('WHARF_E_ENVIRONMENT_EXISTS', { environment: cloneName });
      if (o.cname !== undefined && !(await ebCall<{ Available: boolean }>(ctx.client, 'CheckDNSAvailability', { CNAMEPrefix: o.cname })).Available) {
        throw wharfError('WHARF_E_USAGE', { reason: `The CNAME prefix ${o.cname} is taken or not valid (4 to 63 letters, digits and hyphens); choose another with -c` });
      }

      const templateName = `${cloneName}-${labelTimestamp(new Date(started))}`;
      await ebCall(ctx.client, 'CreateConfigurationTemplate', {
        ApplicationName: source.ApplicationName,
        TemplateName: templateName,
        EnvironmentId: source.EnvironmentId,
        Description: `Saved by wharf eb clone from ${source.EnvironmentName} for ${cloneName}`,
      });
      let created: EnvironmentView;
      try {
        created = await ebCall<EnvironmentView>(ctx.client, 'CreateEnvironment', {
          ApplicationName: source.ApplicationName,
          EnvironmentName: cloneName,
          VersionLabel: source.VersionLabel,
          TemplateName: templateName,
          // Without --cname the API takes the name when it is free, else the name and a suffix.
          ...(o.cname !== undefined ? { CNAMEPrefix: o.cname } : {}),
          Description: `Clone of ${source.EnvironmentName}`,
        });
      } catch (error) {
        await ebCall(ctx.client, 'DeleteConfigurationTemplate', { ApplicationName: source.ApplicationName, TemplateName: templateName }).catch(() => undefined);
        throw error;
      }
      ctx.say(`Environment ${created.EnvironmentName} (${created.EnvironmentId}) is launching as a clone of ${source.EnvironmentName} on version ${source.VersionLabel}.`);
      const { environment, events } = await followOperation(ctx, created, started, 'Ready', waitMs);
      return { TemplateName: templateName, Environment: environment, Events: events };
    },
    render: (r) => outcomeLine(r.Environment),
  });
}
