/** Task definitions the API's and the CLI's task definition tests both register and expect back. */

/** The ARN of a task definition Wharf registered, without its `family:revision`. */
export const TASK_DEFINITION_ARN_PREFIX = 'arn:wharf:ecs:local:000000000000:task-definition/';

/** The RegisterTaskDefinition example of the AWS documentation (WordPress and MySQL), as published. */
export const AWS_TASK_DEFINITION_EXAMPLE = {
  containerDefinitions: [
    { name: 'wordpress', links: ['mysql'], image: 'wordpress', essential: true, portMappings: [{ containerPort: 80, hostPort: 80 }], memory: 500, cpu: 10 },
    { environment: [{ name: 'MYSQL_ROOT_PASSWORD', value: 'password' }], name: 'mysql', image: 'mysql', cpu: 10, memory: 500, essential: true },
  ],
  family: 'hello_world',
};
