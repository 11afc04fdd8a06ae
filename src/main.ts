/**
 * The composition root of the `wharf` executable. An AWS-named command (`wharf ecs list-clusters`,
 * `wharf elbv2 …`, `wharf iam …`) goes straight to `cli/aws/run.ts`, which loads only that
 * service's model and that command's rendering: no commander, no zod, no server code before the
 * request is sent. Everything else builds the commander program from the process commands of
 * `src/launch` (`up`, `server`, `agent`, `router`) and the client commands of `src/cli`, loaded
 * when needed.
 */
import type { Command } from 'commander';
import { leadingWords } from './cli/aws/argv.js';
import { awsServiceOf } from './cli/aws/services.js';

/** Builds the whole command tree (commander, the launch commands and the client commands). */
export async function buildProgram(): Promise<Command> {
  const [{ Command: CommanderCommand }, { registerClientCommands }, { registerLaunchCommands }, { WHARF_VERSION }] = await Promise.all([
    import('commander'),
    import('./cli/program.js'),
    import('./launch/commands.js'),
    import('./version.js'),
  ]);
  const program = new CommanderCommand('wharf')
    .description('Wharf: the Elastic Beanstalk and ECS model on machines you own')
    .version(WHARF_VERSION)
    .option('--endpoint <url>', 'controller API (default: WHARF_ENDPOINT, then the `wharf up` in this folder, then http://127.0.0.1:7070)')
    .option('--profile <name>', 'sign with this profile of ~/.aws/credentials (default: AWS_ACCESS_KEY_ID, AWS_PROFILE, the `wharf up` in this folder, then the default profile)')
    .option('--json', 'print results (and errors) as JSON')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  registerLaunchCommands(program);
  registerClientCommands(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  const args = argv.slice(2);
  const head = leadingWords(args);
  const service = head ? awsServiceOf(head.words[0]) : undefined;
  if (head && service) {
    const { runAwsCommand } = await import('./cli/aws/run.js');
    process.exitCode = await runAwsCommand(service, args, head.words);
    return;
  }
  const [{ CommanderError }, { EXIT_USER_ERROR, printError }] = await Promise.all([import('commander'), import('./cli/output.js')]);
  const program = await buildProgram();
  try {
    // The EB CLI's `-im`/`-ix` are two-letter short flags, which commander has no way to declare.
    await program.parseAsync(args.includes('eb') ? [...argv.slice(0, 2), ...(await import('./cli/commands/eb/options.js')).expandEbShortFlags(args)] : argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed the problem (or the help / version) already.
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_USER_ERROR;
      return;
    }
    process.exitCode = printError(error, argv.includes('--json'));
  }
}

await main(process.argv);
