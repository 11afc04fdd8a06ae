/** `wharf iam simulate-principal-policy`: IAM SimulatePrincipalPolicy. */
import type { EvaluationResultView } from '../../../model/api/iam.js';
import { table } from '../../output.js';

/** The deciding statement: policy and Sid (or index), none for an implicit deny. */
function statementOf(result: EvaluationResultView): string {
  const [matched] = result.MatchedStatements;
  return matched ? `${matched.SourcePolicyId} (${matched.Sid ?? `statement ${matched.StatementIndex}`})` : '-';
}
import type { AwsCommandSpec } from '../../aws/command.js';

export const command: AwsCommandSpec<{ EvaluationResults: EvaluationResultView[] }> = {
  render: ({ EvaluationResults }) => table([['ACTION', 'RESOURCE', 'DECISION', 'STATEMENT'], ...EvaluationResults.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision, statementOf(r)])]),
};
