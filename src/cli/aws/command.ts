/**
 * What a group's own files add to an AWS-named command beyond its model: a description for
 * `--help`, and a readable rendering Wharf prints when no `--output`, `--query` or `--json` is
 * given (without one, the answer is printed as JSON, the AWS CLI's default).
 */

export interface AwsCommandSpec<R = never> {
  readonly render?: (result: R) => string;
}

/** A group's commands by operation: a description, and where the rendering lives (loaded only for that command). */
export type GroupCommands = Readonly<Record<string, { readonly description: string; readonly load?: () => Promise<{ readonly command: AwsCommandSpec<never> }> }>>;
