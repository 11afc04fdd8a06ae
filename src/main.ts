/**
 * The composition root of the `wharf` executable: builds the command tree from the process commands
 * of `src/launch` (`up`, `server`, `agent`, `router`) and the API client commands of `src/cli`, and
 * runs it. Every API command takes `--endpoint` and `--json`.
 */
import { Command, CommanderError } from 'commander';
import { registerClientCommands } from './cli/program.js';
import { EXIT_USER_ERROR, printError } from './cli/output.js';
import { registerLaunchCommands } from './launch/commands.js';
import { WHARF_VERSION } from './version.js';

/** Builds the whole command tree. */
export function buildProgram(): Command {
  const program = new Command('wharf')
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
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
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
