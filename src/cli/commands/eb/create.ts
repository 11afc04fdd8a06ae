/**
 * `wharf eb create [environment]`: packs the project folder, uploads it as a new application
 * version, creates the environment with the flags' option settings, makes it the project's default
 * environment, and prints its events until it is Ready (exit 1 if the launch fails or --timeout
 * passes). Without a name the environment is `<application>-dev`, as the EB CLI proposes.
 */
import { rm } from 'node:fs/promises';
import type { Command } from 'commander';
import type { ApplicationVersionView, EnvironmentEventView, EnvironmentView } from '../../../model/api/platform.js';
import { wharfError } from '../../../model/errors.js';
import type { OptionSetting } from '../../../model/platform.js';
import { ENVIRONMENT_NAME_PATTERN } from '../../../model/platform.js';
import { ebCall } from './api.js';
import { ebCommand } from './eb-command.js';
import { versionLabel } from './labels.js';
import { createSettings, DEFAULT_ELB_TYPE, parseEnvVars, parseTags, timeoutMs } from './options.js';
import { SAMPLE_LABEL, writeSampleApplication } from './sample.js';
import { requireProject, writeProjectConfig } from './project.js';
import { outcomeLine } from './render.js';
import { createVersionFromFolder } from './source.js';
import { followOperation } from './wait.js';

interface Options {
  single?: boolean;
  scale?: string;
  elbType?: string;
  instance_type?: string;
  minInstances?: string;
  maxInstances?: string;
  sample?: boolean;
  tags?: string;
  process?: boolean;
  envvars?: string;
  cname?: string;
  cfg?: string;
  platform?: string;
  label?: string;
  versionLabel?: string;
  message?: string;
  timeout?: string;
}

interface Result {
  ApplicationVersion?: ApplicationVersionView;
  Environment: EnvironmentView;
  Events: readonly EnvironmentEventView[];
}

/** `<application>-dev`, made a valid environment name (the EB CLI's proposal). */
export function defaultEnvironmentName(applicationName: string): string {
  const base = applicationName.replace(/[^A-Za-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 36).replace(/-$/, '');
  return `${base || 'app'}-dev`;
}

export function register(eb: Command): void {
  ebCommand<Options, Result>(eb, {
    name: 'create [environment]',
    description: 'Create an environment running this folder as a new version, and wait until it is Ready',
    options: (c) =>
      c
        .option('--single', 'one instance on its own port, no load balancer (EnvironmentType SingleInstance)')
        .option('--scale <n>', 'run n instances (Auto Scaling MinSize = MaxSize = n)')
        .option('--elb-type <classic|application|network>', `the load balancer (default ${DEFAULT_ELB_TYPE}, as the EB CLI; not with --single)`)
        .option('-i, --instance_type <type>', 'the size of each instance, e.g. t3.small (aws:autoscaling:launchconfiguration InstanceType)')
        .option('--min-instances <n>', 'at least n instances (-im n)')
        .option('--max-instances <n>', 'at most n instances (-ix n)')
        .option('--sample', "run Wharf's sample application instead of this folder")
        .option('--tags <pairs>', "the environment's tags: key=value,key2=value2")
        .option('--process', 'have the version validated (Wharf always validates .ebextensions and env.yaml)')
        .option('--envvars <pairs>', 'environment properties: NAME=value,NAME2=value2')
        .option('-c, --cname <prefix>', 'the CNAME prefix: served at <prefix>.<domain> (default: the environment name)')
        .option('--cfg <name>', 'start from this saved configuration')
        .option('-p, --platform <platform>', 'nodejs, python or docker (default: the project\'s, else detected from the source)')
        .option('-l, --label <label>', 'the new version\'s label (default: app-<git id>-<yymmdd_HHMMSS>)')
        .option('--version-label <label>', "deploy this existing version instead of packing the folder (the EB CLI's --version, which names Wharf's own version here)")
        .option('-m, --message <text>', 'the new version\'s description (default: the last commit\'s subject)')
        .option('--timeout <minutes>', 'stop waiting after this long (default 30); the launch goes on'),
    run: async (ctx, [named], o) => {
      const started = Date.now();
      const project = await requireProject(ctx.cwd);
      const applicationName = project.config.applicationName;
      const environmentName = (named as string | undefined) ?? defaultEnvironmentName(applicationName);
      if (!ENVIRONMENT_NAME_PATTERN.test(environmentName)) {
        throw wharfError('WHARF_E_USAGE', { reason: `"${environmentName}" is not a valid environment name: 4 to 40 letters, digits and hyphens, not starting or ending with a hyphen` });
      }
      if (o.versionLabel !== undefined && o.label !== undefined) throw wharfError('WHARF_E_USAGE', { reason: 'Give --label (a new version) or --version-label (an existing one), not both' });
      if (o.sample && o.versionLabel !== undefined) throw wharfError('WHARF_E_USAGE', { reason: 'Give --sample (the sample application) or --version-label (an existing version), not both' });
      // Every flag is checked before anything is packed or created.
      const settings: OptionSetting[] = createSettings({ single: o.single, elbType: o.elbType, instanceType: o.instance_type, minInstances: o.minInstances, maxInstances: o.maxInstances, scale: o.scale, cfg: o.cfg });
      if (o.envvars !== undefined) settings.push(...parseEnvVars(o.envvars));
      const tags = o.tags === undefined ? undefined : parseTags(o.tags);
      const waitMs = timeoutMs(o.timeout);
      // A saved configuration names its own platform; the project's default only applies without one.
      const platform = o.platform ?? (o.cfg === undefined ? project.config.defaultPlatform : undefined);

      const sampleRoot = o.sample ? await writeSampleApplication() : undefined;
      let version: ApplicationVersionView | undefined;
      try {
        version =
          o.versionLabel === undefined
            ? await createVersionFromFolder({
                client: ctx.client,
                applicationName,
                root: sampleRoot ?? project.root,
                label: o.label ?? (sampleRoot ? versionLabel(new Date(started), undefined).replace(/^app-/, 'sample-app-') : undefined),
                message: o.message ?? (sampleRoot ? SAMPLE_LABEL : undefined),
                now: new Date(started),
                say: (line) => ctx.say(line),
                process: o.process === true,
              })
            : undefined;
      } finally {
        if (sampleRoot) await rm(sampleRoot, { recursive: true, force: true });
      }
      const created = await ebCall<EnvironmentView>(ctx.client, 'CreateEnvironment', {
        ApplicationName: applicationName,
        EnvironmentName: environmentName,
        VersionLabel: version?.VersionLabel ?? o.versionLabel,
        ...(o.cname !== undefined ? { CNAMEPrefix: o.cname } : {}),
        ...(o.cfg !== undefined ? { TemplateName: o.cfg } : {}),
        ...(platform !== undefined ? { SolutionStackName: platform } : {}),
        ...(settings.length > 0 ? { OptionSettings: settings } : {}),
        ...(tags !== undefined ? { Tags: tags } : {}),
      });
      await writeProjectConfig(project.root, { defaultEnvironment: environmentName });
      ctx.say(`Environment ${created.EnvironmentName} (${created.EnvironmentId}) is launching; it is now this project's default environment.`);
      const { environment, events } = await followOperation(ctx, created, started, 'Ready', waitMs);
      return { ...(version ? { ApplicationVersion: version } : {}), Environment: environment, Events: events };
    },
    render: (r) => outcomeLine(r.Environment),
  });
}
