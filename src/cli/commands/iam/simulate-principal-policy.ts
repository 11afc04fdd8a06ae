/** `wharf iam simulate-principal-policy`: IAM SimulatePrincipalPolicy. */
import type { Command } from 'commander';
import type { EvaluationResultView } from '../../../model/api/iam.js';
import { table } from '../../output.js';
import { iamCommand } from './iam-command.js';

/** The deciding statement: policy and Sid (or index), none for an implicit deny. */
function statementOf(result: EvaluationResultView): string {
  const [matched] = result.MatchedStatements;
  return matched ? `${matched.SourcePolicyId} (${matched.Sid ?? `statement ${matched.StatementIndex}`})` : '-';
}

export function register(iam: Command): void {
  iamCommand<{ EvaluationResults: EvaluationResultView[] }>(iam, {
    name: 'simulate-principal-policy',
    operation: 'SimulatePrincipalPolicy',
    description: 'Decide actions on resources under the policies of a user, and show the deciding statement',
    flags: [{ flag: 'policy-source-arn', key: 'PolicySourceArn', help: 'the user ARN', required: true }, { flag: 'action-names', key: 'ActionNames', kind: 'list', help: 'actions, e.g. ecs:RunTask', required: true }, { flag: 'resource-arns', key: 'ResourceArns', kind: 'list', help: 'resource ARNs (default *)' }],
    render: ({ EvaluationResults }) => table([['ACTION', 'RESOURCE', 'DECISION', 'STATEMENT'], ...EvaluationResults.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision, statementOf(r)])]),
  });
}
