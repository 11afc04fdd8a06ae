/**
 * `wharf elasticbeanstalk …`: Elastic Beanstalk's API as the AWS CLI has it, over
 * `/v1/elasticbeanstalk/<Operation>` (answers print as JSON). `wharf eb` is the EB CLI.
 */
import type { GroupCommands } from '../../aws/command.js';

export const COMMANDS: GroupCommands = {
  CreateApplication: { description: 'Create an application' },
  UpdateApplication: { description: "Change an application's description" },
  DescribeApplications: { description: 'Describe applications' },
  DeleteApplication: { description: 'Delete an application (with --terminate-env-by-force, its environments too)' },
  CreateApplicationVersion: { description: 'Create a version from a source bundle' },
  DescribeApplicationVersions: { description: 'Describe versions' },
  DeleteApplicationVersion: { description: 'Delete a version no environment runs' },
  CreateEnvironment: { description: 'Create an environment and launch it' },
  UpdateEnvironment: { description: 'Deploy a version or change settings' },
  TerminateEnvironment: { description: 'Terminate an environment' },
  RestartAppServer: { description: "Restart an environment's instances" },
  RebuildEnvironment: { description: "Replace an environment's instances" },
  AbortEnvironmentUpdate: { description: 'Abort a deployment in progress' },
  SwapEnvironmentCNAMEs: { description: 'Swap the CNAMEs of two environments (blue/green)' },
  DescribeEnvironments: { description: 'Describe environments' },
  DescribeEvents: { description: 'Recent events' },
  CheckDNSAvailability: { description: 'Whether a CNAME prefix is free' },
  DescribeEnvironmentHealth: { description: "An environment's health" },
  DescribeInstancesHealth: { description: "Each instance's health" },
  DescribeEnvironmentResources: { description: "An environment's resources" },
  DescribeConfigurationSettings: { description: "An environment's or template's option settings" },
  DescribeConfigurationOptions: { description: 'The options a platform or environment takes' },
  ValidateConfigurationSettings: { description: 'Check option settings without applying them' },
  CreateConfigurationTemplate: { description: 'Save a configuration' },
  DeleteConfigurationTemplate: { description: 'Delete a saved configuration' },
};
