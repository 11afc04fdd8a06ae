/**
 * EC2 instance types as the size of one copy. Wharf runs an environment's instances as tasks on
 * registered hosts, so `aws:autoscaling:launchconfiguration InstanceType` (or the first entry of
 * `aws:ec2:instances InstanceTypes`) does not launch a machine: it sets each task's cpu and memory
 * reservation to the type's vCPUs × 1024 units and its memory in MiB, which placement counts
 * against the hosts' resources. Changing it replaces every copy (eb-ecs-spec §1.1: a configuration
 * update, which follows `aws:autoscaling:updatepolicy:rollingupdate`).
 */

/** The size of one copy: CPU units (1024 = one vCPU) and memory in MiB. */
export interface InstanceSize {
  readonly cpu: number;
  readonly memoryMiB: number;
}

const GIB = 1024;
const sizes = (family: string, rows: readonly (readonly [string, number, number])[]): [string, InstanceSize][] =>
  rows.map(([size, vcpus, gib]) => [`${family}.${size}`, { cpu: vcpus * 1024, memoryMiB: Math.round(gib * GIB) }]);
const BURSTABLE = [['nano', 2, 0.5], ['micro', 2, 1], ['small', 2, 2], ['medium', 2, 4], ['large', 2, 8], ['xlarge', 4, 16], ['2xlarge', 8, 32]] as const;
const GENERAL = [['large', 2, 8], ['xlarge', 4, 16], ['2xlarge', 8, 32], ['4xlarge', 16, 64]] as const;

/** The instance types Wharf knows, by name, with EC2's vCPUs and memory. */
export const INSTANCE_TYPES: ReadonlyMap<string, InstanceSize> = new Map([
  ...sizes('t3', BURSTABLE),
  ...sizes('t4g', BURSTABLE),
  ...sizes('m5', GENERAL),
  ...sizes('m6i', GENERAL),
  ...sizes('c5', [['large', 2, 4], ['xlarge', 4, 8], ['2xlarge', 8, 16], ['4xlarge', 16, 32]]),
  ...sizes('r5', [['large', 2, 16], ['xlarge', 4, 32], ['2xlarge', 8, 64], ['4xlarge', 16, 128]]),
]);

/** A few known types, for messages. */
export const INSTANCE_TYPE_EXAMPLES = ['t3.micro', 't3.small', 't4g.medium', 'm5.large', 'c5.xlarge', 'r5.large'] as const;

/** The size of an instance type, or undefined when Wharf does not know it. */
export function instanceSize(instanceType: string): InstanceSize | undefined {
  return INSTANCE_TYPES.get(instanceType);
}

/** What is wrong with an instance type for the option `optionName`, if anything ('' is unset, and fine). */
export function checkInstanceType(optionName: string, instanceType: string): string | undefined {
  if (instanceType === '' || INSTANCE_TYPES.has(instanceType)) return undefined;
  const near = [...INSTANCE_TYPES.keys()].find((known) => known === instanceType.trim().toLowerCase());
  return (
    `${optionName} '${instanceType}' is not an instance type Wharf knows` +
    (near ? ` (did you mean '${near}'?)` : '') +
    `; use one of the t3, t4g (nano to 2xlarge), m5, m6i, c5 or r5 (large to 4xlarge) types, such as ${INSTANCE_TYPE_EXAMPLES.join(', ')}`
  );
}

/** EB's `InstanceTypes`: a comma-separated list of 1 to 10 types; the first is the one Wharf sizes copies by. */
export function parseInstanceTypes(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** What is wrong with an `InstanceTypes` list, if anything. */
export function checkInstanceTypes(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  const types = parseInstanceTypes(value);
  if (types.length === 0 || types.length > 10) return `InstanceTypes must list 1 to 10 instance types, separated by commas (e.g. t3.micro,t3.small); got '${value}'`;
  for (const type of types) {
    const problem = checkInstanceType('InstanceTypes', type);
    if (problem) return problem;
  }
  return undefined;
}
