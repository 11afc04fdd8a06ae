/**
 * The process commands of the `wharf` command line: `up`, `server`, `agent` and `router` start
 * Wharf's processes in this one. The composition root (`src/main.ts`) adds them to the program
 * before the API client commands of `src/cli`.
 */
import type { Command } from 'commander';
import { register as registerAgent } from './agent.js';
import { register as registerRouter } from './router.js';
import { register as registerServer } from './server.js';
import { register as registerUp } from './up.js';

/** Adds the process commands to `program`, in the order `--help` lists them. */
export function registerLaunchCommands(program: Command): void {
  registerUp(program);
  registerServer(program);
  registerAgent(program);
  registerRouter(program);
}
