/**
 * Issue 6, TrafficSplitting: TO ADD when the platform accepts the policy (the lead is building it).
 *
 * What to do then:
 * 1. durability-support.ts: add 'TrafficSplitting' to DurablePolicy, and to policySettings the
 *    namespace aws:elasticbeanstalk:trafficsplitting (NewVersionPercent, e.g. 50; EvaluationTime is
 *    3-600 minutes in EB, so the test needs whatever shorter evaluation Wharf allows in tests, or the
 *    file cannot stay under 120 s).
 * 2. Kill points: 'step 2' is the first `shift weight` step (the evaluation hold: kill while the
 *    split holds, and check after the restart that the hold is not restarted from zero nor skipped:
 *    stepHeldSince is persisted); 'last step' is `stop set`; 'runner' as for the other policies.
 * 3. Replace the todo below with (and a serve/wait kill in durability-serve-wait*.test.ts):
 *      await deploymentsSurviveKills(t, 'TrafficSplitting', [{ kills: ['step 2', 'last step'] }]);
 *    and, during the split, assert both versions answer through the router in about the
 *    NewVersionPercent share (the only policy where two versions serving is expected mid-deployment).
 */
import { test } from 'node:test';

test.todo('TrafficSplitting: kill -9 of the controller during the evaluation hold, at the last step and at serve/wait (the policy is being built)');
