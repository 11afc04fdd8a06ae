// Every field of the AWS models' requests (the AWS CLI's, and the newer one of the SDK v3 clients) is taken: the native route the AWS endpoint calls accepts
// it, or the operation's table lists it as not acted on (dropped before the route parses the rest).
// Each field is sent alone to the native route (where its problem lists every unknown field), and a
// field listed as not acted on must be one the route would refuse, so the lists stay as short as
// they can be.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as scalingSdk from '@aws-sdk/client-application-auto-scaling';
import * as ecsSdk from '@aws-sdk/client-ecs';
import { AWS_OPERATIONS, nativeInput } from '../../src/controller/api/aws/operations.js';
import type { AwsJsonService } from '../../src/model/api/aws/json-protocol.js';
import type { TestController } from '../support/controller.js';
import { startTestController } from '../support/controller.js';
import { awsModel, inputMembers } from '../support/aws.js';
import { suiteScope } from '../support/temp.js';

/** The members of an operation's request in an SDK v3 client's schema (`<Operation>Request$`: [kind, namespace, name, traits, members, …]). */
function sdkMembers(sdk: Record<string, unknown>, operation: string): string[] {
  const schema = sdk[`${operation}Request$`];
  return Array.isArray(schema) && Array.isArray(schema[4]) ? (schema[4] as string[]) : [];
}

describe("the AWS models' request fields and the native routes", () => {
  const scope = suiteScope();
  let api: TestController;

  before(async () => {
    api = await startTestController(scope);
  });

  /** The fields the native route refuses as unknown when the AWS request has only `member`. */
  async function unknownFields(route: string, operation: Parameters<typeof nativeInput>[0], member: string): Promise<string[]> {
    const input = nativeInput(operation, { [member]: null });
    const [method = '', template = ''] = route.split(' ');
    const params = (input.params ?? {}) as Record<string, unknown>;
    const path = template.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(String(params[name] ?? 'probe')));
    const query = new URLSearchParams(Object.entries((input.query ?? {}) as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v ?? 'probe')])).toString();
    const { json } = await api.call(method, query === '' ? path : `${path}?${query}`, method === 'POST' ? input.body : undefined);
    return ((json?.errors ?? []) as { field: string; message: string }[]).filter((e) => /^Unknown field/.test(e.message)).map((e) => e.field);
  }

  for (const service of ['ecs', 'application-autoscaling'] as const satisfies readonly AwsJsonService[]) {
    test(`${service}: each request field of the model is acted on by the native route or listed as not acted on`, async () => {
      const model = awsModel(service);
      const sdk = (service === 'ecs' ? ecsSdk : scalingSdk) as unknown as Record<string, unknown>;
      const problems: string[] = [];
      for (const [name, operation] of Object.entries(AWS_OPERATIONS[service])) {
        const notActedOn = new Set(operation.notActedOn ?? []);
        const members = new Set([...inputMembers(model, name), ...sdkMembers(sdk, name)]);
        assert.ok(members.size > 0 || name === 'ListClusters', `${service} ${name}: the models name its request fields`);
        for (const member of members) {
          const unknown = await unknownFields(operation.route, operation, member);
          if (notActedOn.has(member)) {
            if (unknown.length > 0) problems.push(`${name}.${member} is listed as not acted on but reaches the native route`);
            const raw = await unknownFields(operation.route, { ...operation, notActedOn: [] }, member);
            if (raw.length === 0) problems.push(`${name}.${member} is listed as not acted on, but the native route takes it: remove it from the list`);
          } else if (unknown.length > 0) {
            problems.push(`${name}.${member}: the native route ${operation.route} refuses it as unknown; act on it or list it in notActedOn`);
          }
        }
      }
      assert.deepEqual(problems, []);
    });
  }
});
