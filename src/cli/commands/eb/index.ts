/**
 * `wharf eb …`: the EB CLI's commands against Wharf's Elastic Beanstalk API. Each command is its
 * own file here; this one puts them under `eb` (and `eb config`).
 */
import type { Command } from 'commander';
import { register as registerAbort } from './abort.js';
import { register as registerClone } from './clone.js';
import { register as registerConfigDelete } from './config-delete.js';
import { register as registerConfigGet } from './config-get.js';
import { register as registerConfigList } from './config-list.js';
import { register as registerConfigSave } from './config-save.js';
import { register as registerCreate } from './create.js';
import { register as registerDeploy } from './deploy.js';
import { register as registerEvents } from './events.js';
import { register as registerHealth } from './health.js';
import { register as registerInit } from './init.js';
import { register as registerList } from './list.js';
import { register as registerLogs } from './logs.js';
import { register as registerOpen } from './open.js';
import { register as registerPrintenv } from './printenv.js';
import { register as registerScale } from './scale.js';
import { register as registerSetenv } from './setenv.js';
import { register as registerStatus } from './status.js';
import { register as registerSwap } from './swap.js';
import { register as registerTerminate } from './terminate.js';
import { register as registerUse } from './use.js';

export function register(program: Command): void {
  const eb = program.command('eb').description('Elastic Beanstalk, as the EB CLI: applications and environments from a project folder');
  registerInit(eb);
  registerCreate(eb);
  registerDeploy(eb);
  registerStatus(eb);
  registerHealth(eb);
  registerEvents(eb);
  registerLogs(eb);
  registerOpen(eb);
  registerSetenv(eb);
  registerPrintenv(eb);
  registerScale(eb);
  const config = eb.command('config').description('Saved configurations: save, get, list, delete');
  registerConfigSave(config);
  registerConfigGet(config);
  registerConfigList(config);
  registerConfigDelete(config);
  registerList(eb);
  registerUse(eb);
  registerTerminate(eb);
  registerClone(eb);
  registerSwap(eb);
  registerAbort(eb);
}
