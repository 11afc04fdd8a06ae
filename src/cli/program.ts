/**
 * The client commands of the `wharf` command line that commander reads: `events`, `audit`, `logs`
 * and `eb`, and the AWS-named groups (`ecs`, `elbv2`, `application-autoscaling`,
 * `elasticbeanstalk`, `iam`) listed for `wharf --help`. Those groups speak the AWS CLI's grammar
 * and are run by `aws/run.ts`: `src/main.ts` sends them there before commander is even loaded.
 */
import type { Command } from 'commander';
import { register as registerAudit } from './commands/audit.js';
import { register as registerEb } from './commands/eb/index.js';
import { register as registerEvents } from './commands/events.js';
import { register as registerLogs } from './commands/logs.js';
import { AWS_SERVICES } from './aws/services.js';

/** Adds the API client commands to `program`, in the order `--help` lists them. */
export function registerClientCommands(program: Command): void {
  registerEvents(program);
  registerAudit(program);
  registerLogs(program);
  registerEb(program);
  for (const service of AWS_SERVICES) {
    program
      .command(service.group)
      .description(`${service.description} (the AWS CLI's commands and options: \`wharf ${service.group} help\`)`)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .argument('[command...]')
      .action(async (_args: string[], cmd: Command) => {
        // Reached only when main.ts's fast path did not take the line; the global options commander read are handed back.
        const globals = cmd.optsWithGlobals<{ endpoint?: string; profile?: string; json?: boolean }>();
        const argv = [service.group, ...cmd.args, ...(globals.endpoint ? ['--endpoint', globals.endpoint] : []), ...(globals.profile ? ['--profile', globals.profile] : []), ...(globals.json ? ['--json'] : [])];
        const { runAwsCommand } = await import('./aws/run.js');
        process.exitCode = await runAwsCommand(service, argv, [service.group, ...cmd.args.filter((a) => !a.startsWith('-')).slice(0, 2)]);
      });
  }
}
