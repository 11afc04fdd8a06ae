/** `--help` of the AWS-named commands: a group's commands or waiters, and a command's options from its model. */
import type { GroupCommands } from './command.js';
import type { RequestShape, ServiceModel } from './model.js';
import { cliName } from './model.js';
import type { ResolvedCommand } from './run.js';
import type { AwsService } from './services.js';

const GLOBAL_HELP = [
  ['--endpoint, --endpoint-url <url>', 'the controller (default: WHARF_ENDPOINT, the `wharf up` in this folder, http://127.0.0.1:7070)'],
  ['--profile <name>', 'sign with this profile (~/.aws/credentials, ~/.aws/config)'],
  ['--region <region>', 'the region to sign for'],
  ['--output json|text|table|yaml', "the AWS CLI's output formats (default: a readable view, or JSON)"],
  ['--query <jmespath>', 'print only this part of the answer'],
  ['--json', 'print the answer (and errors) as JSON'],
  ['--no-paginate', 'one call only (no following of pages)'],
  ['--color on|off|auto, --no-cli-pager', 'accepted; Wharf prints no colours and uses no pager'],
];

const columns = (rows: readonly (readonly string[])[]): string => {
  const width = Math.max(...rows.filter((r) => r[1]).map((r) => r[0]!.length));
  return rows.map(([a, b]) => (b ? `  ${a!.padEnd(width)}  ${b}` : `  ${a!}`)).join('\n');
};

/** How an option of shape `shape` is written. */
function form(shape: RequestShape, depth = 0): string {
  switch (shape.kind) {
    case 'structure': {
      if (depth > 1) return 'JSON';
      const names = Object.keys(shape.members);
      const members = names.slice(0, 4).map((name) => `${name}=${form(shape.members[name]!(), depth + 1)}`);
      const more = names.length > 4 ? ',...' : '';
      return depth === 0 ? members.join(',') + more : `{${members.join(',')}${more}}`;
    }
    case 'list':
      return depth === 0 ? `${form(shape.element, depth)} ...` : `[${form(shape.element, depth + 1)},...]`;
    case 'map':
      return depth === 0 ? 'KeyName1=string,KeyName2=string' : '{KeyName=...}';
    case 'any':
      return 'JSON';
    default:
      return shape.kind;
  }
}

export function helpText(service: AwsService, model: ServiceModel, commands: GroupCommands, what: 'group' | 'waiters' | 'command', resolved?: ResolvedCommand, description?: string): string {
  if (what === 'group') {
    const rows = Object.keys(model.operations).map((op) => [cliName(op), commands[op]?.description ?? `the AWS ${op} operation`]);
    if (Object.keys(model.waiters).length > 0) rows.push(['wait <waiter>', `wait for a state: ${Object.keys(model.waiters).join(', ')}`]);
    return `Usage: wharf ${service.group} <command> [options]\n\n${service.description}\n\nCommands:\n${columns(rows)}\n\nEach command takes the AWS CLI's options (shorthand or JSON) and global options; \`wharf ${service.group} <command> help\` lists them.\n`;
  }
  if (what === 'waiters' || !resolved) {
    const rows = Object.entries(model.waiters).map(([name, w]) => [name, `${w.operation} every ${w.delay} s, at most ${w.maxAttempts} times`]);
    return `Usage: wharf ${service.group} wait <waiter> [options]\n\nWaiters:\n${columns(rows)}\n`;
  }
  const input = resolved.op.input;
  const required = new Set(input.required);
  const notActedOn = new Set(resolved.op.api.notActedOn ?? []);
  const rows = Object.entries(input.members).map(([name, member]) => {
    const shape = member();
    const flag = shape.kind === 'boolean' ? `--${cliName(name)} | --no-${cliName(name)}` : `--${cliName(name)} <${form(shape)}>`;
    return [flag, required.has(name) ? '(required)' : notActedOn.has(name) ? '(accepted, not acted on)' : ''];
  });
  if (!resolved.waiter) {
    rows.push(['--cli-input-json, --cli-input-yaml <text|file://path>', 'the request as JSON or YAML; options given override it']);
    rows.push(['--generate-cli-skeleton [input|yaml-input]', 'print a request with every field, and call nothing']);
    if (resolved.op.paginator) rows.push(['--max-items <n>, --starting-token <t>, --page-size <n>', 'paging (every page is fetched unless --no-paginate)']);
  }
  const name = resolved.waiter ? `wait ${resolved.waiter.name}` : cliName(resolved.operation);
  const what2 = resolved.waiter ? `Wait, by calling ${resolved.operation} every ${resolved.waiter.waiter.delay} s (at most ${resolved.waiter.waiter.maxAttempts} times)` : (description ?? `The AWS ${resolved.operation} operation`);
  return `Usage: wharf ${service.group} ${name} [options]\n\n${what2}.\n\nOptions (a list takes several words; a structure takes key=value,... or JSON):\n${columns(rows)}\n\nGlobal options:\n${columns(GLOBAL_HELP)}\n`;
}
