/**
 * `--generate-cli-skeleton [input|yaml-input]`: a request with every member of the operation's
 * input and a placeholder of its type, as the AWS CLI prints it: "" for strings, 0 for numbers,
 * true for booleans, one element in a list, a "KeyName" in a map. The CLI knows Wharf's requests,
 * not AWS's answer shapes: `output` is refused with a pointer to `--output json`.
 */
import { usageError } from './argv.js';
import type { OperationModel, RequestShape } from './model.js';

/** Nesting past this depth is left empty (recursive shapes). */
const MAX_DEPTH = 8;

function placeholder(shape: RequestShape, depth: number): unknown {
  if (depth > MAX_DEPTH) return {};
  switch (shape.kind) {
    case 'structure':
      return Object.fromEntries(Object.entries(shape.members).map(([name, member]) => [name, placeholder(member(), depth + 1)]));
    case 'list':
      return [placeholder(shape.element, depth + 1)];
    case 'map':
      return { KeyName: placeholder(shape.value, depth + 1) };
    case 'string':
      return '';
    case 'number':
      return 0;
    case 'boolean':
      return true;
    case 'any':
      return {};
  }
}

/** The skeleton text for `kind`. */
export async function skeleton(op: OperationModel, kind: string): Promise<string> {
  if (kind === 'output') throw usageError("--generate-cli-skeleton output: Wharf's CLI knows each operation's request, not AWS's answer shapes; run the command with --output json to see its answer");
  if (kind !== 'input' && kind !== 'yaml-input') throw usageError(`--generate-cli-skeleton takes input or yaml-input, not "${kind}"`);
  const value = placeholder(op.input, 0);
  if (kind === 'yaml-input') return (await import('yaml')).stringify(value);
  return JSON.stringify(value, null, 4) + '\n';
}
