/**
 * SwapEnvironmentCNAMEs: blue/green deployment's last step. Two Ready, load-balanced environments
 * of one application exchange their CNAMEs, and the router's host rules exchange their host names,
 * in one store transaction: a router reads either the old table or the new one, never a table with
 * both names on one environment, so requests at either name are answered throughout.
 *
 *   blue  (cname shop)      rule host shop.<domain>      ─▶ target group of blue
 *   green (cname shop-next) rule host shop-next.<domain> ─▶ target group of green
 *                         ── swap (one transaction) ──▶
 *   blue  (cname shop-next) rule host shop-next.<domain> ─▶ target group of blue
 *   green (cname shop)      rule host shop.<domain>      ─▶ target group of green
 *
 * CNAMEs are unique among live environments (a partial unique index), so the first environment
 * passes through a placeholder that can never be a CNAME while the second takes its name.
 */
import { wharfError } from '../../model/errors.js';
import type { EnvironmentRecord } from '../../model/platform.js';
import type { RuleRecord } from '../../model/load-balancing.js';
import type { Repositories } from '../../store/store.js';
import type { RequestMeta } from '../request.js';
import { environmentHost, resourceNames } from './compile.js';
import type { PlatformContext } from './context.js';
import { environmentEvent } from './context.js';
import { requireEnvironment } from './environments.js';
import type { SwapEnvironmentCnamesRequest } from '../../model/api/platform.js';

type SwapRequest = SwapEnvironmentCnamesRequest;

/** A CNAME no environment can have (CNAMEs are DNS labels), held for the moment of the swap. */
function placeholderCname(environmentId: string): string {
  return `~swapping~${environmentId}`;
}

function refused(source: EnvironmentRecord, destination: EnvironmentRecord, field: string, reason: string, fix: string): Error {
  return wharfError('WHARF_E_CNAME_SWAP_REFUSED', { source: source.environmentName, destination: destination.environmentName, reason, fix }, { errors: [{ field, message: reason }] });
}

/** The environment's host rule on the router, or a refusal that says why it has none. */
function hostRule(rules: readonly RuleRecord[], environment: EnvironmentRecord, other: EnvironmentRecord, field: string, pair: [EnvironmentRecord, EnvironmentRecord]): RuleRecord {
  if (environment.resources.instancePort !== null) {
    throw refused(
      ...pair,
      field,
      `${environment.environmentName} is a SingleInstance environment: it answers at its own address (port ${environment.resources.instancePort}), not at a host name on the router`,
      `Swap two LoadBalanced environments: clone ${other.environmentName} or create a LoadBalanced copy of ${environment.environmentName}, then swap with that`,
    );
  }
  const rule = rules.find((r) => r.arn === environment.resources.ruleArn);
  if (!rule) {
    throw refused(...pair, field, `${environment.environmentName} has no host rule on the router (it has never served)`, `Deploy a version to ${environment.environmentName} until it is Ready, then swap`);
  }
  return rule;
}

/** Writes `next` over the stored environment (compare-and-set). */
async function replace(tx: Repositories, current: EnvironmentRecord, next: EnvironmentRecord): Promise<void> {
  if (!(await tx.platform.replaceEnvironment(next))) {
    throw wharfError('WHARF_E_OPERATION_IN_PROGRESS', { environment: current.environmentName, status: current.status, operation: 'another change' });
  }
}

/**
 * SwapEnvironmentCNAMEs: checks both environments (one application, both Ready and load
 * balanced, not the same one), then swaps CNAMEs and host rules in one transaction with EB's
 * events on both. Bad input changes nothing.
 */
export async function swapEnvironmentCnames(ctx: PlatformContext, request: SwapRequest, meta: RequestMeta): Promise<Record<string, never>> {
  const byId = request.SourceEnvironmentId !== undefined;
  const destinationField = byId ? 'DestinationEnvironmentId' : 'DestinationEnvironmentName';
  const sourceField = byId ? 'SourceEnvironmentId' : 'SourceEnvironmentName';
  await ctx.store.transaction(async (tx) => {
    const source = await requireEnvironment(tx, byId ? { EnvironmentId: request.SourceEnvironmentId } : { EnvironmentName: request.SourceEnvironmentName });
    const destination = await requireEnvironment(tx, byId ? { EnvironmentId: request.DestinationEnvironmentId } : { EnvironmentName: request.DestinationEnvironmentName });
    const pair: [EnvironmentRecord, EnvironmentRecord] = [source, destination];
    if (source.environmentId === destination.environmentId) {
      throw wharfError(
        'WHARF_E_VALIDATION',
        { summary: `${destinationField}: names the source environment ${source.environmentName} itself` },
        { errors: [{ field: destinationField, message: `name another environment of application ${source.applicationName} (the one to swap CNAMEs with)` }] },
      );
    }
    if (source.applicationName !== destination.applicationName) {
      throw refused(
        ...pair,
        destinationField,
        `${destination.environmentName} belongs to application ${destination.applicationName}, ${source.environmentName} to ${source.applicationName}`,
        `Swap between two environments of one application (clone ${source.environmentName} into ${source.applicationName} to make its partner)`,
      );
    }
    for (const environment of pair) {
      if (environment.status !== 'Ready') {
        throw wharfError('WHARF_E_OPERATION_IN_PROGRESS', { environment: environment.environmentName, status: environment.status, operation: environment.operation?.kind ?? 'an operation' });
      }
    }
    const rules = await tx.loadBalancing.rules();
    const sourceRule = hostRule(rules, source, destination, sourceField, pair);
    const destinationRule = hostRule(rules, destination, source, destinationField, pair);

    const version = (e: EnvironmentRecord, by: number) => ({ updatedAt: meta.now, version: e.version + by });
    await replace(tx, source, { ...source, cname: placeholderCname(source.environmentId), ...version(source, 1) });
    const movedDestination = { ...destination, cname: source.cname, ...version(destination, 1) };
    await replace(tx, destination, movedDestination);
    const movedSource = { ...source, cname: destination.cname, ...version(source, 2) };
    await replace(tx, source, movedSource);
    const sourceHost = environmentHost(source.cname, ctx.domain);
    const destinationHost = environmentHost(destination.cname, ctx.domain);
    const withHost = (rule: RuleRecord, host: string): RuleRecord => ({ ...rule, conditions: { ...rule.conditions, hostHeader: [host] } });
    await tx.loadBalancing.replaceRule(withHost(sourceRule, destinationHost));
    await tx.loadBalancing.replaceRule(withHost(destinationRule, sourceHost));
    for (const rule of [sourceRule, destinationRule]) {
      await tx.events.append({ resourceType: 'rule', resourceId: rule.arn, severity: 'INFO', message: `Rule ${rule.priority} modified: host names swapped by SwapEnvironmentCNAMEs.`, requestId: meta.requestId, time: meta.now });
    }

    const names = `'${source.environmentName}' and '${destination.environmentName}'`;
    const pointsTo = (host: string, to: EnvironmentRecord) => `'${host}' now points to '${resourceNames(to.environmentId).targetGroupName}' (environment ${to.environmentName}).`;
    for (const environment of [movedSource, movedDestination]) {
      const options = { ...meta, versionLabel: environment.versionLabel };
      await environmentEvent(tx, environment, 'INFO', 'swapEnvironmentCNAMEs is starting.', options);
      await environmentEvent(tx, environment, 'INFO', `Swapping CNAMEs for environments ${names}.`, options);
      await environmentEvent(tx, environment, 'INFO', pointsTo(sourceHost, movedDestination), options);
      await environmentEvent(tx, environment, 'INFO', pointsTo(destinationHost, movedSource), options);
      await environmentEvent(tx, environment, 'INFO', `Completed swapping CNAMEs for environments ${names}.`, options);
    }
  });
  // Routers' long polls answer with the new table at once.
  ctx.loadBalancing.changed();
  ctx.wake();
  return {};
}
