// `wharf router` as a child process for router-command.test.ts: the command registered on a program
// of its own (src/main.ts registers it the same way), parsed from this process's arguments.
import { Command } from 'commander';
import { register } from '../../src/launch/router.js';

const program = new Command('wharf').option('--endpoint <url>').option('--json').exitOverride();
register(program);
await program.parseAsync(process.argv);
