/**
 * AbortEnvironmentUpdate: stops a deploy or configure while its new instances roll out, and
 * returns the environment to its previous version and settings. The request only records the
 * abort (status Aborting, the operation at its `abort` step, the settings as they were); the
 * environment runner carries it out: the service returns to its previous task set
 * (`deploy/abort.ts`), then the environment is Ready again on the version it ran before.
 *
 * Wharf departs from Elastic Beanstalk on purpose here: EB leaves a mixed fleet when an
 * application deployment is aborted, Wharf always returns to the previous version.
 */
import { wharfError } from '../../model/errors.js';
import type { EnvironmentRecord } from '../../model/platform.js';
import { environmentTransition, isAbortable } from '../../model/platform.js';
import type { RequestMeta } from '../request.js';
import type { PlatformContext } from './context.js';
import { environmentEvent } from './context.js';
import { requireEnvironment } from './environments.js';
import type { AbortEnvironmentUpdateRequest } from '../../model/api/platform.js';

/** The event an abort starts with (EB's console says "Abort current operation"). */
export const ABORTING_MESSAGE = 'Aborting the environment update.';

/** Why the environment's operation cannot be aborted now, for the error (see `isAbortable`). */
function notAbortable(environment: EnvironmentRecord): string {
  const op = environment.operation;
  switch (environment.status) {
    case 'Ready':
      return 'it is Ready, no update is in progress';
    case 'Aborting':
      return 'an abort is in progress already';
    case 'Launching':
      return 'it is launching (a launch cannot be aborted; terminate the environment instead)';
    case 'Terminating':
    case 'Terminated':
      return `it is ${environment.status}`;
    case 'Updating':
      break;
  }
  if (op && op.kind !== 'deploy' && op.kind !== 'configure') return `its ${op.kind} operation cannot be aborted`;
  if (environment.versionLabel === null) return 'it runs no version to return to';
  return `its update has not started rolling out yet (step ${op?.step ?? 'unknown'}); try again in a moment`;
}

/**
 * AbortEnvironmentUpdate (EnvironmentId or EnvironmentName): refused with
 * WHARF_E_NO_ABORTABLE_OPERATION unless `isAbortable`; nothing is changed then.
 */
export async function abortEnvironmentUpdate(ctx: PlatformContext, request: AbortEnvironmentUpdateRequest, meta: RequestMeta): Promise<Record<string, never>> {
  await ctx.store.transaction(async (tx) => {
    const current = await requireEnvironment(tx, request);
    const op = current.operation;
    if (!isAbortable(current) || !op) throw wharfError('WHARF_E_NO_ABORTABLE_OPERATION', { environment: current.environmentName, reason: notAbortable(current) });
    const next: EnvironmentRecord = {
      ...current,
      // The settings the update brought go at once; the runner applies the old ones to the service.
      optionSettings: op.previous?.optionSettings ?? current.optionSettings,
      templateName: op.previous ? op.previous.templateName : current.templateName,
      status: environmentTransition(current.status, 'Aborting'),
      operation: { ...op, step: 'abort', abortedAt: meta.now },
      updatedAt: meta.now,
      version: current.version + 1,
    };
    if (!(await tx.platform.replaceEnvironment(next))) {
      throw wharfError('WHARF_E_OPERATION_IN_PROGRESS', { environment: current.environmentName, status: current.status, operation: 'another change' });
    }
    await environmentEvent(tx, next, 'WARN', ABORTING_MESSAGE, { ...meta, versionLabel: op.versionLabel });
  });
  ctx.wake();
  return {};
}
