/**
 * `--query` and the waiters' acceptors: JMESPath, by the npm package `jmespath` (the AWS CLI's
 * language; loaded only when a command asks for it).
 */
import { wharfError } from '../../model/errors.js';

interface JmesPath {
  search(data: unknown, expression: string): unknown;
}

let loaded: JmesPath | undefined;

/** The package, or a user error saying it is missing. */
async function jmespath(): Promise<JmesPath> {
  if (loaded) return loaded;
  // A name in a variable: the package has no type declarations, and is loaded only here.
  const name = 'jmespath';
  try {
    const module = (await import(name)) as { default?: JmesPath } & Partial<JmesPath>;
    loaded = module.search ? (module as JmesPath) : module.default;
  } catch (error) {
    throw wharfError('WHARF_E_USAGE', { reason: `--query and wait need the npm package jmespath, which is not installed (${(error as Error).message}); run \`npm install\` in the wharf folder` });
  }
  if (!loaded) throw wharfError('WHARF_E_USAGE', { reason: 'The npm package jmespath has no search function' });
  return loaded;
}

/** True when the JMESPath package can be loaded. */
export async function hasJmespath(): Promise<boolean> {
  try {
    await jmespath();
    return true;
  } catch {
    return false;
  }
}

/** The JMESPath `expression` over `data`; a bad expression is a user error naming --query. */
export async function search(data: unknown, expression: string): Promise<unknown> {
  const engine = await jmespath();
  try {
    return engine.search(data, expression);
  } catch (error) {
    throw wharfError('WHARF_E_USAGE', { reason: `Bad value for --query ${expression}: ${(error as Error).message}` });
  }
}
