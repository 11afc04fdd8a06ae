/**
 * `wharf eb abort`, `swap` and `clone`: registered so that they answer clearly rather than
 * "unknown command". They come with deployment policies (rolling and blue/green deployments),
 * which are not in Wharf yet.
 */
import type { Command } from 'commander';
import { WharfError } from '../../../model/errors.js';

const COMMANDS = [
  { name: 'abort', description: 'Abort an environment update (not yet supported)', api: 'AbortEnvironmentUpdate' },
  { name: 'swap', description: "Swap two environments' CNAMEs (not yet supported)", api: 'SwapEnvironmentCNAMEs' },
  { name: 'clone', description: 'Create a copy of an environment (not yet supported)', api: 'a new environment from a running one' },
] as const;

export function register(eb: Command): void {
  for (const spec of COMMANDS) {
    eb.command(spec.name)
      .description(spec.description)
      .argument('[args...]')
      .allowUnknownOption()
      .action(() => {
        throw new WharfError(
          'WHARF_E_NOT_YET_SUPPORTED',
          `\`wharf eb ${spec.name}\` (${spec.api}) is not yet supported: it comes with the deployment-policies issue (rolling and blue/green deployments). Until then, deploy with \`wharf eb deploy\`; nothing was changed.`,
          { context: { command: `eb ${spec.name}` } },
        );
      });
  }
}
