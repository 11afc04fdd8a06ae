/**
 * Platform names as Elastic Beanstalk spells them: solution stacks, platform branches, platform
 * ARNs and short names (`nodejs`, `python-3.11`), read into the Wharf platform they stand for.
 * Pure text matching, shared by the controller (CreateEnvironment, env.yaml) and the CLI
 * (`wharf eb init -p`).
 */
import type { PlatformName } from './platform.js';

const RUNTIMES: readonly (readonly [RegExp, PlatformName])[] = [
  [/^Node\.js(?: \d+(?:\.\d+)*)?$/i, 'nodejs'],
  [/^Python(?: \d+(?:\.\d+)*)?$/i, 'python'],
  [/^Docker(?: \d+(?:\.\d+)*)?$/i, 'docker'],
];

const SHORT_NAMES: readonly (readonly [RegExp, PlatformName])[] = [
  [/^(?:nodejs|node\.js|node)(?:-\d+(?:\.\d+)*)?$/i, 'nodejs'],
  [/^python(?:-\d+(?:\.\d+)*)?$/i, 'python'],
  [/^docker(?:-[\w.]+)?$/i, 'docker'],
];

/** EB's solution stack names: "64bit Amazon Linux 2023 v6.1.0 running Node.js 20"; the runtime is the group. */
const SOLUTION_STACK_PATTERN = /^64bit Amazon Linux(?: [\w.]+)? v\d+(?:\.\d+)* running (.+)$/;

/**
 * The Wharf platform a solution stack, platform branch, platform ARN or short name stands for;
 * undefined for anything Wharf does not run. Accepts e.g. "64bit Amazon Linux 2023 v6.1.0 running
 * Node.js 20", "Python 3.11 running on 64bit Amazon Linux 2023", "Docker running on 64bit Amazon
 * Linux 2023", `arn:aws:elasticbeanstalk:us-east-1::platform/Node.js 20 running on 64bit Amazon
 * Linux 2023/6.1.0`, Wharf's own "Node.js running on Wharf" and "Python 3 running on Wharf" (and
 * their platform ARNs), and `nodejs`, `node.js-20`, `python-3.11`, `docker`.
 */
export function platformFromSolutionStack(name: string): PlatformName | undefined {
  const value = name.trim();
  const arn = /^arn:[^:]+:elasticbeanstalk:[^:]*:[^:]*:platform\/(.+)\/[^/]+$/.exec(value);
  if (arn) return platformFromSolutionStack(arn[1] ?? '');
  const short = SHORT_NAMES.find(([pattern]) => pattern.test(value));
  if (short) return short[1];
  const runtime =
    SOLUTION_STACK_PATTERN.exec(value)?.[1] ??
    /^(.+) running on 64bit Amazon Linux(?: [\w.]+)?$/.exec(value)?.[1] ??
    // Wharf's own names: its solution stacks and platform branches ("Node.js 20 running on Wharf").
    /^(.+) running on Wharf$/i.exec(value)?.[1];
  if (runtime === undefined) return undefined;
  return RUNTIMES.find(([pattern]) => pattern.test(runtime.trim()))?.[1];
}

/**
 * The name when it is one of EB's solution stack names for a platform Wharf runs ("64bit Amazon
 * Linux 2023 v6.1.0 running Node.js 20"): an environment or saved configuration made with one
 * answers it back as its SolutionStackName, as EB does. Undefined for platform branches, ARNs,
 * short names and Wharf's own names (those answer with Wharf's own solution stack).
 */
export function ebSolutionStackName(name: string | undefined): string | undefined {
  const value = name?.trim() ?? '';
  const runtime = SOLUTION_STACK_PATTERN.exec(value)?.[1];
  return runtime !== undefined && RUNTIMES.some(([pattern]) => pattern.test(runtime.trim())) ? value : undefined;
}
