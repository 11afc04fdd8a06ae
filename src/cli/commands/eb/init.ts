/**
 * `wharf eb init [application] [-p platform]`: makes the current folder an EB project. Writes
 * `.elasticbeanstalk/config.yml` (the application, the default platform) and creates the
 * application on the controller unless it exists already. Run again to change either.
 */
import path from 'node:path';
import type { Command } from 'commander';
import type { ApplicationView } from '../../../model/api/platform.js';
import { WharfError, wharfError } from '../../../model/errors.js';
import { PLATFORMS } from '../../../model/platform.js';
import { platformFromSolutionStack } from '../../../model/solution-stack.js';
import { ebCall } from './api.js';
import { ebCommand } from './eb-command.js';
import { findProject, writeProjectConfig } from './project.js';

interface Options {
  platform?: string;
}

interface Result {
  ApplicationName: string;
  /** Whether this run created the application (false: it existed). */
  Created: boolean;
  DefaultPlatform: string | null;
  ConfigFile: string;
}

export function register(eb: Command): void {
  ebCommand<Options, Result>(eb, {
    name: 'init [application]',
    description: 'Make this folder an EB project: write .elasticbeanstalk/config.yml and create the application if needed',
    options: (c) => c.option('-p, --platform <platform>', 'the default platform: nodejs, python, docker, or an EB solution stack (default: detected from the source)'),
    run: async (ctx, [named], o) => {
      if (o.platform !== undefined && !platformFromSolutionStack(o.platform)) {
        throw wharfError('WHARF_E_USAGE', { reason: `--platform "${o.platform}" is not a platform Wharf runs; use ${PLATFORMS.join(', ')} (or an EB solution stack of one, e.g. "Node.js 20 running on 64bit Amazon Linux 2023")` });
      }
      const existing = await findProject(ctx.cwd);
      // Inside a project already: that project's folder; else this folder becomes one.
      const root = existing?.root ?? ctx.cwd;
      const applicationName = (named as string | undefined) ?? existing?.config.applicationName ?? path.basename(path.resolve(root));
      let created = true;
      try {
        await ebCall<{ Application: ApplicationView }>(ctx.client, 'CreateApplication', { ApplicationName: applicationName });
      } catch (error) {
        if (!(error instanceof WharfError && error.code === 'WHARF_E_APPLICATION_EXISTS')) throw error;
        created = false;
      }
      const defaultPlatform = o.platform ?? existing?.config.defaultPlatform ?? null;
      const file = await writeProjectConfig(root, { applicationName, defaultPlatform });
      return { ApplicationName: applicationName, Created: created, DefaultPlatform: defaultPlatform, ConfigFile: file };
    },
    render: (r) =>
      [
        r.Created ? `Application ${r.ApplicationName} has been created.` : `Using the existing application ${r.ApplicationName}.`,
        `Platform: ${r.DefaultPlatform ?? 'detected from the source at each deploy'}.`,
        `Wrote ${r.ConfigFile}. Next: \`wharf eb create <environment>\`.`,
      ].join('\n'),
  });
}
