/** Readable renderings shared by the `wharf eb` commands, laid out as the EB CLI lays them out. */
import type { EnvironmentEventView, EnvironmentView } from '../../../model/api/platform.js';
import { table } from '../../output.js';

/** `2024-05-01T10:20:30.456Z` → `2024-05-01 10:20:30` (UTC, as the EB CLI prints event times). */
export function eventTime(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** One event as the EB CLI prints it: `YYYY-MM-DD HH:MM:SS    INFO    message`. */
export function eventLine(event: Pick<EnvironmentEventView, 'EventDate' | 'Severity' | 'Message'>): string {
  return `${eventTime(event.EventDate)}    ${event.Severity}    ${event.Message}`;
}

/** The one-line progress shown (on a terminal) while a command waits. */
export function progressLine(environment: Pick<EnvironmentView, 'EnvironmentName' | 'Status' | 'Operation'> | undefined, elapsedMs: number): string {
  const seconds = Math.floor(elapsedMs / 1000);
  const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  if (!environment) return `Waiting (${clock})`;
  const op = environment.Operation;
  const step = op && op.Step !== 'done' ? `: ${op.Kind}, ${op.Step}` : '';
  return `${environment.EnvironmentName} is ${environment.Status}${step} (${clock})`;
}

/** What happened to an operation, for the line after the events. */
export function outcomeLine(environment: EnvironmentView): string {
  if (environment.Status === 'Terminated') return `Environment ${environment.EnvironmentName} is terminated.`;
  return `Environment ${environment.EnvironmentName} is ${environment.Status} (health ${environment.Health}, ${environment.HealthStatus}) on version ${environment.VersionLabel ?? '-'}: ${environment.URL}`;
}

/** `eb status`: the environment's details, one per line. */
export function statusLines(e: EnvironmentView): string {
  const lines = [
    `Environment details for: ${e.EnvironmentName}`,
    `  Application name: ${e.ApplicationName}`,
    `  Deployed Version: ${e.VersionLabel ?? '-'}`,
    `  Environment ID: ${e.EnvironmentId}`,
    `  Platform: ${e.SolutionStackName}`,
    `  Tier: ${e.Tier.Name}-${e.Tier.Type}-${e.Tier.Version}`,
    `  CNAME: ${e.CNAME}`,
    `  URL: ${e.URL}`,
    `  Updated: ${eventTime(e.DateUpdated)}`,
    `  Status: ${e.Status}`,
    `  Health: ${e.Health}`,
    `  Health status: ${e.HealthStatus}`,
  ];
  const op = e.Operation;
  if (op && op.Step !== 'done') lines.push(`  Operation: ${op.Kind} (step ${op.Step})`);
  else if (op?.Failure) lines.push(`  Last operation: ${op.Kind} failed: ${op.Failure}`);
  return lines.join('\n');
}

/** DescribeEnvironmentHealth's answer, as far as the CLI reads it. */
export interface EnvironmentHealthView {
  EnvironmentName: string;
  HealthStatus: string;
  Status: string;
  Color: string;
  Causes: string[];
  InstancesHealth: Record<string, number>;
  RefreshedAt: string;
}

/** One DescribeInstancesHealth entry, as far as the CLI reads it. */
export interface InstanceHealthView {
  InstanceId: string;
  HealthStatus: string;
  Color: string;
  Causes: string[];
  LaunchedAt: string;
  Deployment?: { VersionLabel?: string; Status?: string };
  ContainerInstanceId?: string;
}

const HEALTH_COUNTS = ['Ok', 'Warning', 'Degraded', 'Severe', 'Info', 'Pending', 'Unknown', 'NoData'] as const;

/** `eb health`: the environment line, instance counts by status, causes, and one row per instance. */
export function healthLines(environment: EnvironmentHealthView, instances: readonly InstanceHealthView[]): string {
  const counts = HEALTH_COUNTS.map((status) => String(environment.InstancesHealth[status] ?? 0));
  const total = String(instances.length);
  const lines = [
    `${environment.EnvironmentName}  ${environment.HealthStatus}  ${environment.Color}  ${environment.Status}  refreshed ${eventTime(environment.RefreshedAt)}`,
    table([
      ['total', ...HEALTH_COUNTS.map((s) => s.toLowerCase())],
      [total, ...counts],
    ]),
  ];
  for (const cause of environment.Causes) lines.push(`  ${cause}`);
  lines.push('');
  lines.push(
    table([
      ['INSTANCE', 'STATUS', 'VERSION', 'DEPLOYMENT', 'LAUNCHED', 'HOST', 'CAUSE'],
      ...instances.map((i) => [
        i.InstanceId,
        i.HealthStatus,
        i.Deployment?.VersionLabel ?? '-',
        i.Deployment?.Status ?? '-',
        eventTime(i.LaunchedAt),
        i.ContainerInstanceId ?? '-',
        i.Causes.join(' ') || '-',
      ]),
    ]),
  );
  return lines.join('\n');
}

/** `eb printenv`: the environment properties, as the EB CLI prints them. */
export function printenvLines(variables: Readonly<Record<string, string>>): string {
  const names = Object.keys(variables).sort();
  return [' Environment Variables:', ...names.map((name) => `     ${name} = ${variables[name] ?? ''}`)].join('\n');
}

/** `eb list`: `* ` marks the default environment; with several applications each line names its own. */
export function listLines(environments: readonly Pick<EnvironmentView, 'EnvironmentName' | 'ApplicationName'>[], defaultEnvironment: string | undefined, withApplication: boolean): string {
  return environments
    .map((e) => `${e.EnvironmentName === defaultEnvironment ? '*' : ' '} ${e.EnvironmentName}${withApplication ? `  (${e.ApplicationName})` : ''}`)
    .join('\n');
}
