/**
 * From the routing table and the targets' health to what a data plane serves (pure: no clock, no
 * I/O). Only healthy targets are active; draining ones are listed so their requests finish;
 * initial and unhealthy ones are left out. A forward action keeps only the target groups that have
 * an active target of weight above 0 and a weight above 0 themselves, so weights split traffic among
 * groups that can take it, and a rule whose groups have none answers 503.
 */
import type { ListenerAction, RoutingTable } from '../model/routing.js';
import type { DataPlaneConfig, PlaneAction, PlaneListener, PlaneTarget, PlaneTargetGroup } from './data-plane.js';
import { conditionsRegex } from './patterns.js';
import type { TargetHealth } from './target-health.js';

/** A draining target whose group is no longer in the table (it drains all the same). */
export interface OrphanDrainingTarget {
  readonly targetGroupArn: string;
  readonly targetGroupName: string;
  readonly id: string;
  readonly host: string;
  readonly port: number;
}

export interface CompileInput {
  readonly table: RoutingTable;
  /** Health by target key (`targetKey(groupArn, targetId)`); a target without one is initial. */
  readonly health: ReadonlyMap<string, TargetHealth>;
  /** Draining targets that left the table (deregistered, or their group deleted). */
  readonly draining: readonly OrphanDrainingTarget[];
  /** Listener port → bind port; a listener not listed binds its own port. */
  readonly bindPorts: ReadonlyMap<number, number>;
  readonly bindHost: string;
  /** Target group ARN → plane key, kept stable across tables by the caller. */
  readonly groupKeys: ReadonlyMap<string, string>;
}

/** The key of a target in the router's maps. */
export function targetKey(targetGroupArn: string, targetId: string): string {
  return `${targetGroupArn}\n${targetId}`;
}

/** A plane key for a new target group, not colliding with keys in use. */
export function newGroupKey(name: string, inUse: ReadonlySet<string>): string {
  const base = `tg-${name}`;
  if (!inUse.has(base)) return base;
  for (let n = 2; ; n++) if (!inUse.has(`${base}-${n}`)) return `${base}-${n}`;
}

export function compileDataPlaneConfig(input: CompileInput): DataPlaneConfig {
  const { table, health } = input;
  const groups = new Map<string, { key: string; name: string; arn: string; targets: PlaneTarget[] }>();
  const keyOf = (arn: string): string => {
    const key = input.groupKeys.get(arn);
    if (key === undefined) throw new Error(`no plane key for target group ${arn}`);
    return key;
  };
  for (const group of table.targetGroups) {
    const targets: PlaneTarget[] = [];
    for (const target of group.targets) {
      const state = health.get(targetKey(group.arn, target.id))?.state ?? 'initial';
      if (state === 'healthy' || state === 'draining') targets.push({ id: target.id, host: target.host, port: target.port, draining: state === 'draining', ...(target.weight !== undefined && target.weight !== 1 ? { weight: target.weight } : {}) });
    }
    groups.set(group.arn, { key: keyOf(group.arn), name: group.name, arn: group.arn, targets });
  }
  for (const orphan of input.draining) {
    let group = groups.get(orphan.targetGroupArn);
    if (!group) {
      group = { key: keyOf(orphan.targetGroupArn), name: orphan.targetGroupName, arn: orphan.targetGroupArn, targets: [] };
      groups.set(orphan.targetGroupArn, group);
    }
    if (!group.targets.some((t) => t.id === orphan.id)) group.targets.push({ id: orphan.id, host: orphan.host, port: orphan.port, draining: true });
  }

  const action = (source: ListenerAction): PlaneAction => {
    if (source.type === 'fixed-response') return { type: 'fixed-response', statusCode: source.statusCode, contentType: source.contentType, messageBody: source.messageBody };
    const choices = source.targetGroups
      .filter((choice) => choice.weight > 0 && (groups.get(choice.targetGroupArn)?.targets.some((t) => !t.draining && t.weight !== 0) ?? false))
      .map((choice) => ({ targetGroupKey: keyOf(choice.targetGroupArn), weight: choice.weight }));
    return { type: 'forward', choices };
  };

  const listeners: PlaneListener[] = [...table.listeners]
    .sort((a, b) => a.port - b.port)
    .map((listener) => ({
      port: listener.port,
      bindHost: input.bindHost,
      bindPort: input.bindPorts.get(listener.port) ?? listener.port,
      routes: [...listener.rules].sort((a, b) => a.priority - b.priority).map((rule) => ({ match: conditionsRegex(rule.conditions), action: action(rule.action) })),
      ...(listener.defaultAction ? { defaultAction: action(listener.defaultAction) } : {}),
    }));

  const targetGroups: PlaneTargetGroup[] = [...groups.values()].sort((a, b) => a.key.localeCompare(b.key));
  return { listeners, targetGroups };
}
