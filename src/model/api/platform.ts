/**
 * Elastic Beanstalk (`POST /v1/elasticbeanstalk/<Operation>`, EB's PascalCase JSON): the requests
 * of the applications, versions, environments and configuration operations, and what they answer
 * with (ApplicationView, ApplicationVersionView, EnvironmentView, EnvironmentEventView).
 */
import { z } from 'zod';
import { bodyOperations } from './operation.js';
import { notYetField } from '../validation.js';
import { EVENT_SEVERITIES } from '../events.js';
import type { OptionSetting, PlatformName } from '../platform.js';
import { CNAME_PATTERN, ENVIRONMENT_NAME_PATTERN } from '../platform.js';
import { BRANCH_FILTER_OPERATORS, PLATFORM_FILTER_OPERATORS, PLATFORM_FILTER_TYPES } from '../platform-versions.js';

/** A setting's value on the wire is a string; numbers and booleans (from JSON or YAML) become strings, null or absent ''. */
const settingValueSchema = z
  .union([z.string(), z.number(), z.boolean(), z.null()], { message: 'Value must be a string (a number or true/false is taken as its text)' })
  .optional()
  .transform((value) => (value === undefined || value === null ? '' : String(value)));

/** One option setting as the API takes it (EB's `ConfigurationOptionSetting`). */
export const optionSettingSchema = z
  .object({
    Namespace: z.string({ message: 'Give Namespace as a string, e.g. "aws:autoscaling:asg"' }).min(1, 'Give the Namespace, e.g. "aws:autoscaling:asg"'),
    OptionName: z.string({ message: 'Give OptionName as a string, e.g. "MinSize"' }).min(1, 'Give the OptionName, e.g. "MinSize"'),
    Value: settingValueSchema,
    ResourceName: z.string().min(1, 'ResourceName, when given, is not empty').optional(),
  })
  .strict();

/** One option to remove (EB's `OptionSpecification`, as in UpdateEnvironment's OptionsToRemove). */
export const optionSpecificationSchema = z
  .object({
    Namespace: z.string().min(1, 'Give the Namespace, e.g. "aws:elasticbeanstalk:application:environment"'),
    OptionName: z.string().min(1, 'Give the OptionName'),
    ResourceName: z.string().min(1).optional(),
  })
  .strict();

/** A parsed setting without its ResourceName when none was given (the stored shape). */
export function toSetting(s: z.output<typeof optionSettingSchema>): OptionSetting {
  return { Namespace: s.Namespace, OptionName: s.OptionName, Value: s.Value, ...(s.ResourceName ? { ResourceName: s.ResourceName } : {}) };
}

/** What EB allows in an application name and a version label. */
const applicationNameSchema = z.string().min(1, 'ApplicationName has 1 to 100 characters').max(100, 'ApplicationName has 1 to 100 characters').regex(/^[^/]+$/, 'ApplicationName cannot contain "/"');
const versionLabelSchema = z.string().min(1, 'VersionLabel has 1 to 100 characters').max(100, 'VersionLabel has 1 to 100 characters').regex(/^[^/]+$/, 'VersionLabel cannot contain "/"');
const descriptionSchema = z.string().max(200, 'Description has at most 200 characters');

export const applicationNameRef = applicationNameSchema;

export const createApplicationRequestSchema = z
  .object({
    ApplicationName: applicationNameSchema,
    Description: descriptionSchema.optional(),
    Tags: z.array(z.object({ Key: z.string(), Value: z.string() })).optional(),
    ResourceLifecycleConfig: notYetField('version lifecycle policies; versions are kept until DeleteApplicationVersion deletes them'),
  })
  .strict();
export const updateApplicationRequestSchema = z.object({ ApplicationName: applicationNameSchema, Description: descriptionSchema.optional() }).strict();
export const describeApplicationsRequestSchema = z.object({ ApplicationNames: z.array(z.string()).optional() }).strict();
/** CreateStorageLocation takes no fields. */
export const createStorageLocationRequestSchema = z.object({}).strict();
export const deleteApplicationRequestSchema = z.object({ ApplicationName: applicationNameSchema, TerminateEnvByForce: z.boolean().optional() }).strict();

export const createApplicationVersionRequestSchema = z
  .object({
    ApplicationName: applicationNameSchema,
    VersionLabel: versionLabelSchema,
    Description: descriptionSchema.optional(),
    SourceBundle: z.object({ S3Bucket: z.string().min(1), S3Key: z.string().min(1) }).strict(),
    SourceBuildInformation: notYetField('versions come from a source bundle (SourceBundle), not CodeCommit'),
    BuildConfiguration: notYetField('Wharf builds the bundle itself on its platform; there is no CodeBuild'),
    AutoCreateApplication: z.boolean().optional(),
    /** EB validates `.ebextensions` and `env.yaml` only with Process; Wharf always does. */
    Process: z.boolean().optional(),
    Tags: z.array(z.object({ Key: z.string(), Value: z.string() })).optional(),
  })
  .strict();
export const describeApplicationVersionsRequestSchema = z.object({ ApplicationName: z.string().optional(), VersionLabels: z.array(z.string()).optional(), MaxRecords: z.number().int().min(1).max(1000).optional() }).strict();
export const deleteApplicationVersionRequestSchema = z.object({ ApplicationName: applicationNameSchema, VersionLabel: versionLabelSchema, DeleteSourceBundle: z.boolean().optional() }).strict();

/** Elastic Beanstalk's ApplicationDescription. */
export interface ApplicationView {
  ApplicationName: string;
  ApplicationArn: string;
  Description: string;
  DateCreated: string;
  DateUpdated: string;
  Versions: string[];
  ConfigurationTemplates: string[];
}

/** Elastic Beanstalk's ApplicationVersionDescription, with the platform Wharf detected. */
export interface ApplicationVersionView {
  ApplicationName: string;
  ApplicationVersionArn: string;
  VersionLabel: string;
  Description: string;
  SourceBundle: { S3Bucket: string; S3Key: string };
  Status: string;
  DateCreated: string;
  DateUpdated: string;
  /** Wharf's: the platform detected from the bundle, its format and size. */
  Platform: PlatformName;
  SourceBundleFormat: string;
  SourceBundleSize: number;
}

export const environmentNameSchema = z.string().regex(ENVIRONMENT_NAME_PATTERN, 'EnvironmentName has 4 to 40 letters, digits and hyphens, and neither starts nor ends with a hyphen');
export const cnameSchema = z.string().regex(CNAME_PATTERN, 'CNAMEPrefix has 4 to 63 letters, digits and hyphens, and neither starts nor ends with a hyphen');
const tierSchema = z.object({ Name: z.enum(['WebServer', 'Worker']), Type: z.enum(['Standard', 'SQS/HTTP']).optional(), Version: z.string().optional() }).strict();
const tagsSchema = z.array(z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256) }).strict()).max(47);

export const createEnvironmentRequestSchema = z
  .object({
    ApplicationName: z.string().min(1).max(100),
    /** Optional when the version's `env.yaml` names the environment (as EB's). */
    EnvironmentName: environmentNameSchema.optional(),
    CNAMEPrefix: cnameSchema.optional(),
    Description: z.string().max(200).optional(),
    Tier: tierSchema.optional(),
    VersionLabel: z.string().min(1).max(100, 'VersionLabel has 1 to 100 characters'),
    TemplateName: z.string().min(1).optional(),
    SolutionStackName: z.string().min(1).optional(),
    PlatformArn: z.string().min(1).optional(),
    GroupName: notYetField('environment groups (ComposeEnvironments)'),
    OptionSettings: z.array(optionSettingSchema.transform(toSetting)).optional(),
    OptionsToRemove: z.array(optionSpecificationSchema).optional(),
    Tags: tagsSchema.optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const given = [r.TemplateName && 'TemplateName', r.SolutionStackName && 'SolutionStackName', r.PlatformArn && 'PlatformArn'].filter(Boolean);
    if (given.length > 1) ctx.addIssue({ code: 'custom', path: [String(given[1])], message: `Give at most one of TemplateName, SolutionStackName and PlatformArn (got ${given.join(' and ')})` });
  });

const environmentRefFields = { EnvironmentId: z.string().optional(), EnvironmentName: z.string().optional() };
const needsRef = (r: { EnvironmentId?: string | undefined; EnvironmentName?: string | undefined }, ctx: z.RefinementCtx) => {
  if (!r.EnvironmentId && !r.EnvironmentName) ctx.addIssue({ code: 'custom', path: ['EnvironmentName'], message: 'Name the environment with EnvironmentName or EnvironmentId' });
};

export const updateEnvironmentRequestSchema = z
  .object({
    ...environmentRefFields,
    ApplicationName: z.string().optional(),
    Description: z.string().max(200).optional(),
    Tier: tierSchema.optional(),
    VersionLabel: z.string().min(1).max(100).optional(),
    TemplateName: z.string().min(1).optional(),
    SolutionStackName: z.string().optional(),
    PlatformArn: z.string().optional(),
    OptionSettings: z.array(optionSettingSchema.transform(toSetting)).optional(),
    OptionsToRemove: z.array(optionSpecificationSchema).optional(),
    GroupName: z.string().optional(),
  })
  .strict()
  .superRefine(needsRef);

export const terminateEnvironmentRequestSchema = z
  .object({ ...environmentRefFields, TerminateResources: z.boolean().optional(), ForceTerminate: z.boolean().optional() })
  .strict()
  .superRefine(needsRef);
export const environmentRefRequestSchema = z.object(environmentRefFields).strict().superRefine(needsRef);
export const checkDnsAvailabilityRequestSchema = z.object({ CNAMEPrefix: z.string().min(1) }).strict();

export const abortEnvironmentUpdateRequestSchema = environmentRefRequestSchema;

export const swapEnvironmentCnamesRequestSchema = z
  .object({
    SourceEnvironmentId: z.string().min(1).optional(),
    SourceEnvironmentName: z.string().min(1).optional(),
    DestinationEnvironmentId: z.string().min(1).optional(),
    DestinationEnvironmentName: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    for (const side of ['Source', 'Destination'] as const) {
      const id = r[`${side}EnvironmentId`];
      const name = r[`${side}EnvironmentName`];
      if (!id && !name) ctx.addIssue({ code: 'custom', path: [`${side}EnvironmentName`], message: `Name the ${side.toLowerCase()} environment with ${side}EnvironmentName or ${side}EnvironmentId` });
      if (id && name) ctx.addIssue({ code: 'custom', path: [`${side}EnvironmentName`], message: `Give ${side}EnvironmentId or ${side}EnvironmentName, not both` });
    }
    const sourceById = r.SourceEnvironmentId !== undefined;
    const destinationById = r.DestinationEnvironmentId !== undefined;
    if ((r.SourceEnvironmentId || r.SourceEnvironmentName) && (r.DestinationEnvironmentId || r.DestinationEnvironmentName) && sourceById !== destinationById) {
      ctx.addIssue({
        code: 'custom',
        path: [destinationById ? 'DestinationEnvironmentId' : 'DestinationEnvironmentName'],
        message: 'Name both environments the same way: SourceEnvironmentId with DestinationEnvironmentId, or SourceEnvironmentName with DestinationEnvironmentName',
      });
    }
  });

const settingInput = optionSettingSchema.transform(toSetting);
const templateNameSchema = z.string().min(1, 'TemplateName has 1 to 100 characters').max(100, 'TemplateName has 1 to 100 characters').regex(/^[^/]+$/, 'TemplateName cannot contain "/"');

export const describeConfigurationSettingsRequestSchema = z
  .object({ ApplicationName: z.string().min(1), EnvironmentName: z.string().optional(), TemplateName: z.string().optional() })
  .strict()
  .refine((r) => Boolean(r.EnvironmentName) !== Boolean(r.TemplateName), { path: ['EnvironmentName'], message: 'Give exactly one of EnvironmentName and TemplateName' });

export const describeConfigurationOptionsRequestSchema = z
  .object({
    ApplicationName: z.string().optional(),
    EnvironmentName: z.string().optional(),
    TemplateName: z.string().optional(),
    SolutionStackName: z.string().optional(),
    PlatformArn: notYetField('name the platform with SolutionStackName'),
    Options: z.array(z.object({ Namespace: z.string().optional(), OptionName: z.string().optional(), ResourceName: z.string().optional() }).strict()).optional(),
  })
  .strict();

export const validateConfigurationSettingsRequestSchema = z
  .object({ ApplicationName: z.string().min(1), EnvironmentName: z.string().optional(), TemplateName: z.string().optional(), OptionSettings: z.array(settingInput) })
  .strict();

export const createConfigurationTemplateRequestSchema = z
  .object({
    ApplicationName: z.string().min(1),
    TemplateName: templateNameSchema,
    Description: z.string().max(200).optional(),
    SolutionStackName: z.string().optional(),
    PlatformArn: z.string().optional(),
    SourceConfiguration: z.object({ ApplicationName: z.string().optional(), TemplateName: z.string() }).strict().optional(),
    EnvironmentId: z.string().optional(),
    OptionSettings: z.array(settingInput).optional(),
    Tags: z.array(z.object({ Key: z.string(), Value: z.string() })).optional(),
  })
  .strict();

export const deleteConfigurationTemplateRequestSchema = z.object({ ApplicationName: z.string().min(1), TemplateName: z.string().min(1) }).strict();

export const describeEnvironmentsRequestSchema = z
  .object({
    ApplicationName: z.string().optional(),
    VersionLabel: z.string().optional(),
    EnvironmentIds: z.array(z.string()).optional(),
    EnvironmentNames: z.array(z.string()).optional(),
    IncludeDeleted: z.boolean().optional(),
    IncludedDeletedBackTo: z.string().optional(),
    MaxRecords: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

/** Elastic Beanstalk's DescribeEvents (the native events stream's query is `describeEventsRequestSchema` in `events.ts`). */
export const describeEnvironmentEventsRequestSchema = z
  .object({
    ApplicationName: z.string().optional(),
    VersionLabel: z.string().optional(),
    TemplateName: z.string().optional(),
    EnvironmentId: z.string().optional(),
    EnvironmentName: z.string().optional(),
    RequestId: z.string().optional(),
    Severity: z.enum(EVENT_SEVERITIES).optional(),
    StartTime: z.string().datetime({ offset: true, message: 'StartTime is an ISO-8601 time' }).optional(),
    EndTime: z.string().datetime({ offset: true, message: 'EndTime is an ISO-8601 time' }).optional(),
    MaxRecords: z.number().int().min(1).max(1000).optional(),
    NextToken: z.string().regex(/^\d+$/, 'NextToken is the token a previous page returned').optional(),
    PlatformArn: notYetField('events of custom platforms; Wharf has none'),
  })
  .strict();

/** Elastic Beanstalk's EnvironmentDescription, with Wharf's URL and Operation. */
export interface EnvironmentView {
  EnvironmentName: string;
  EnvironmentId: string;
  ApplicationName: string;
  VersionLabel?: string;
  SolutionStackName: string;
  PlatformArn: string;
  TemplateName?: string;
  Description: string;
  EndpointURL: string;
  CNAME: string;
  DateCreated: string;
  DateUpdated: string;
  Status: string;
  AbortableOperationInProgress: boolean;
  Health: string;
  HealthStatus: string;
  Tier: { Name: string; Type: string; Version: string };
  EnvironmentArn: string;
  Resources: { LoadBalancer?: { LoadBalancerName: string; Domain: string; Listeners: { Protocol: string; Port: number }[] } };
  /** Wharf's: the address to open (with the router's port when it is not 80). */
  URL: string;
  /** Wharf's: the operation in progress or the last one. */
  Operation?: { Id: number; Kind: string; Step: string; VersionLabel?: string; Failure?: string; Aborted?: boolean };
}

/** An Elastic Beanstalk event (DescribeEvents' EventDescription); the native events stream's is `EventView` in `events.ts`. */
export interface EnvironmentEventView {
  EventDate: string;
  Message: string;
  ApplicationName?: string;
  VersionLabel?: string;
  EnvironmentName?: string;
  RequestId?: string;
  Severity: string;
}

export type CreateApplicationRequest = z.infer<typeof createApplicationRequestSchema>;
export type UpdateApplicationRequest = z.infer<typeof updateApplicationRequestSchema>;
export type DescribeApplicationsRequest = z.infer<typeof describeApplicationsRequestSchema>;
export type DeleteApplicationRequest = z.infer<typeof deleteApplicationRequestSchema>;
export type CreateApplicationVersionRequest = z.infer<typeof createApplicationVersionRequestSchema>;
export type DescribeApplicationVersionsRequest = z.infer<typeof describeApplicationVersionsRequestSchema>;
export type DeleteApplicationVersionRequest = z.infer<typeof deleteApplicationVersionRequestSchema>;
export type CreateEnvironmentRequest = z.infer<typeof createEnvironmentRequestSchema>;
export type UpdateEnvironmentRequest = z.infer<typeof updateEnvironmentRequestSchema>;
export type TerminateEnvironmentRequest = z.infer<typeof terminateEnvironmentRequestSchema>;
export type EnvironmentRefRequest = z.infer<typeof environmentRefRequestSchema>;
export type CheckDnsAvailabilityRequest = z.infer<typeof checkDnsAvailabilityRequestSchema>;
export type AbortEnvironmentUpdateRequest = z.infer<typeof abortEnvironmentUpdateRequestSchema>;
export type SwapEnvironmentCnamesRequest = z.infer<typeof swapEnvironmentCnamesRequestSchema>;
export type DescribeConfigurationSettingsRequest = z.infer<typeof describeConfigurationSettingsRequestSchema>;
export type DescribeConfigurationOptionsRequest = z.infer<typeof describeConfigurationOptionsRequestSchema>;
export type ValidateConfigurationSettingsRequest = z.infer<typeof validateConfigurationSettingsRequestSchema>;
export type CreateConfigurationTemplateRequest = z.infer<typeof createConfigurationTemplateRequestSchema>;
export type DeleteConfigurationTemplateRequest = z.infer<typeof deleteConfigurationTemplateRequestSchema>;
export type DescribeEnvironmentsRequest = z.infer<typeof describeEnvironmentsRequestSchema>;
export type DescribeEnvironmentEventsRequest = z.infer<typeof describeEnvironmentEventsRequestSchema>;

// ── Platforms, tags, environment info, managed actions (issue 13's third point) ───────────────

const nextTokenSchema = z.string().regex(/^\d{1,6}$/, 'NextToken is the token a previous page returned');
const maxRecordsSchema = z.number({ message: 'MaxRecords is a whole number from 1 to 100' }).int('MaxRecords is a whole number from 1 to 100').min(1, 'MaxRecords is at least 1').max(100, 'MaxRecords is at most 100');

/** ListPlatformVersions: Filters as EB's PlatformFilter (one value each, as EB takes for every operator). */
export const listPlatformVersionsRequestSchema = z
  .object({
    Filters: z
      .array(
        z
          .object({
            Type: z.enum(PLATFORM_FILTER_TYPES, { message: `Type is one of ${PLATFORM_FILTER_TYPES.join(', ')}` }),
            Operator: z.enum(PLATFORM_FILTER_OPERATORS, { message: `Operator is one of ${PLATFORM_FILTER_OPERATORS.join(' ')}` }),
            Values: z.array(z.string().max(256, 'a value has at most 256 characters')).length(1, 'Values has exactly one value (as EB takes for every operator)'),
          })
          .strict(),
      )
      .max(20, 'at most 20 filters')
      .optional(),
    MaxRecords: maxRecordsSchema.optional(),
    NextToken: nextTokenSchema.optional(),
  })
  .strict();

export const describePlatformVersionRequestSchema = z
  .object({ PlatformArn: z.string({ message: 'Give PlatformArn, a platform version\'s ARN (ListPlatformVersions lists them)' }).min(1, 'Give PlatformArn, a platform version\'s ARN (ListPlatformVersions lists them)') })
  .strict();

/** ListPlatformBranches: Filters as EB's SearchFilter for this action (Attribute BranchName, LifecycleState, PlatformName, TierType). */
export const listPlatformBranchesRequestSchema = z
  .object({
    Filters: z
      .array(
        z
          .object({
            Attribute: z.enum(Object.keys(BRANCH_FILTER_OPERATORS) as [string, ...string[]], { message: `Attribute is one of ${Object.keys(BRANCH_FILTER_OPERATORS).join(', ')}` }),
            Operator: z.string({ message: 'Give the Operator, e.g. "="' }),
            Values: z.array(z.string().max(256, 'a value has at most 256 characters')).min(1, 'Values has at least one value').max(20, 'Values has at most 20 values'),
          })
          .strict()
          .superRefine((f, ctx) => {
            const operators = BRANCH_FILTER_OPERATORS[f.Attribute] ?? [];
            if (!operators.includes(f.Operator)) ctx.addIssue({ code: 'custom', path: ['Operator'], message: `Operator for ${f.Attribute} is one of ${operators.join(' ')}` });
            else if (f.Operator !== 'in' && f.Operator !== 'not_in' && f.Values.length !== 1) ctx.addIssue({ code: 'custom', path: ['Values'], message: `Operator ${f.Operator} takes exactly one value (in and not_in take several)` });
          }),
      )
      .max(20, 'at most 20 filters')
      .optional(),
    MaxRecords: maxRecordsSchema.optional(),
    NextToken: nextTokenSchema.optional(),
  })
  .strict();

/** ListAvailableSolutionStacks takes no fields. */
export const listAvailableSolutionStacksRequestSchema = z.object({}).strict();

export const updateApplicationVersionRequestSchema = z.object({ ApplicationName: applicationNameSchema, VersionLabel: versionLabelSchema, Description: descriptionSchema.optional() }).strict();

/** UpdateConfigurationTemplate: settings to set and to remove, and the description. */
export const updateConfigurationTemplateRequestSchema = z
  .object({
    ApplicationName: z.string().min(1, 'Give the ApplicationName'),
    TemplateName: z.string().min(1, 'Give the TemplateName'),
    Description: z.string().max(200, 'Description has at most 200 characters').optional(),
    OptionSettings: z.array(settingInput).optional(),
    OptionsToRemove: z.array(optionSpecificationSchema).optional(),
  })
  .strict();

export const deleteEnvironmentConfigurationRequestSchema = z.object({ ApplicationName: z.string().min(1, 'Give the ApplicationName'), EnvironmentName: z.string().min(1, 'Give the EnvironmentName') }).strict();

/** A tag key EB refuses: its own prefixes are reserved. */
const RESERVED_TAG_PREFIX = /^(aws|elasticbeanstalk):/i;
const tagKeySchema = z.string().min(1, 'a tag Key has 1 to 128 characters').max(128, 'a tag Key has 1 to 128 characters').refine((key) => !RESERVED_TAG_PREFIX.test(key), 'keys starting with aws: or elasticbeanstalk: are reserved');

export const listTagsForResourceRequestSchema = z.object({ ResourceArn: z.string({ message: 'Give ResourceArn, the ARN of an application, version, environment or saved configuration' }).min(1, 'Give ResourceArn') }).strict();

export const updateTagsForResourceRequestSchema = z
  .object({
    ResourceArn: z.string({ message: 'Give ResourceArn, the ARN of an application, version, environment or saved configuration' }).min(1, 'Give ResourceArn'),
    TagsToAdd: z.array(z.object({ Key: tagKeySchema, Value: z.string().max(256, 'a tag Value has at most 256 characters') }).strict()).max(50, 'at most 50 tags').optional(),
    TagsToRemove: z.array(tagKeySchema).max(50, 'at most 50 keys').optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const added = (r.TagsToAdd ?? []).map((t) => t.Key);
    added.forEach((key, i) => {
      if (added.indexOf(key) !== i) ctx.addIssue({ code: 'custom', path: ['TagsToAdd', i, 'Key'], message: `key ${key} is given twice` });
      if (r.TagsToRemove?.includes(key)) ctx.addIssue({ code: 'custom', path: ['TagsToRemove'], message: `key ${key} is both added and removed; give it in one list` });
    });
  });

export const environmentInfoRequestSchema = z
  .object({ ...environmentRefFields, InfoType: z.enum(['tail', 'bundle'], { message: 'InfoType is tail (the last lines of each instance\'s log) or bundle (all of it, zipped)' }) })
  .strict()
  .superRefine(needsRef);

export const describeManagedActionsRequestSchema = z
  .object({ ...environmentRefFields, Status: z.enum(['Scheduled', 'Pending', 'Running', 'Unknown'], { message: 'Status is Scheduled, Pending, Running or Unknown' }).optional() })
  .strict()
  .superRefine(needsRef);

export const describeManagedActionHistoryRequestSchema = z
  .object({ ...environmentRefFields, NextToken: z.string().max(1024).optional(), MaxItems: z.number().int('MaxItems is a whole number from 1 to 100').min(1, 'MaxItems is at least 1').max(100, 'MaxItems is at most 100').optional() })
  .strict()
  .superRefine(needsRef);

export type ListPlatformVersionsRequest = z.infer<typeof listPlatformVersionsRequestSchema>;
export type DescribePlatformVersionRequest = z.infer<typeof describePlatformVersionRequestSchema>;
export type ListPlatformBranchesRequest = z.infer<typeof listPlatformBranchesRequestSchema>;
export type UpdateApplicationVersionRequest = z.infer<typeof updateApplicationVersionRequestSchema>;
export type UpdateConfigurationTemplateRequest = z.infer<typeof updateConfigurationTemplateRequestSchema>;
export type DeleteEnvironmentConfigurationRequest = z.infer<typeof deleteEnvironmentConfigurationRequestSchema>;
export type ListTagsForResourceRequest = z.infer<typeof listTagsForResourceRequestSchema>;
export type UpdateTagsForResourceRequest = z.infer<typeof updateTagsForResourceRequestSchema>;
export type EnvironmentInfoRequest = z.infer<typeof environmentInfoRequestSchema>;

/** Elastic Beanstalk's operations (`2010-12-01`): each one's native route (`POST /v1/elasticbeanstalk/<Operation>`) and request schema (see `operation.ts`), read by the AWS endpoint's Query protocol and the `wharf elasticbeanstalk` commands. */
export const ELASTIC_BEANSTALK_API = bodyOperations(
  'elasticbeanstalk',
  {
    CreateApplication: createApplicationRequestSchema,
    UpdateApplication: updateApplicationRequestSchema,
    DescribeApplications: describeApplicationsRequestSchema,
    DeleteApplication: deleteApplicationRequestSchema,
    CreateApplicationVersion: createApplicationVersionRequestSchema,
    DescribeApplicationVersions: describeApplicationVersionsRequestSchema,
    DeleteApplicationVersion: deleteApplicationVersionRequestSchema,
    CreateStorageLocation: createStorageLocationRequestSchema,
    CreateEnvironment: createEnvironmentRequestSchema,
    UpdateEnvironment: updateEnvironmentRequestSchema,
    TerminateEnvironment: terminateEnvironmentRequestSchema,
    RestartAppServer: environmentRefRequestSchema,
    RebuildEnvironment: environmentRefRequestSchema,
    AbortEnvironmentUpdate: abortEnvironmentUpdateRequestSchema,
    SwapEnvironmentCNAMEs: swapEnvironmentCnamesRequestSchema,
    DescribeEnvironments: describeEnvironmentsRequestSchema,
    DescribeEvents: describeEnvironmentEventsRequestSchema,
    CheckDNSAvailability: checkDnsAvailabilityRequestSchema,
    DescribeEnvironmentHealth: environmentRefRequestSchema,
    DescribeInstancesHealth: environmentRefRequestSchema,
    DescribeEnvironmentResources: environmentRefRequestSchema,
    DescribeConfigurationSettings: describeConfigurationSettingsRequestSchema,
    DescribeConfigurationOptions: describeConfigurationOptionsRequestSchema,
    ValidateConfigurationSettings: validateConfigurationSettingsRequestSchema,
    CreateConfigurationTemplate: createConfigurationTemplateRequestSchema,
    DeleteConfigurationTemplate: deleteConfigurationTemplateRequestSchema,
    UpdateConfigurationTemplate: updateConfigurationTemplateRequestSchema,
    DeleteEnvironmentConfiguration: deleteEnvironmentConfigurationRequestSchema,
    UpdateApplicationVersion: updateApplicationVersionRequestSchema,
    ListPlatformVersions: listPlatformVersionsRequestSchema,
    DescribePlatformVersion: describePlatformVersionRequestSchema,
    ListPlatformBranches: listPlatformBranchesRequestSchema,
    ListAvailableSolutionStacks: listAvailableSolutionStacksRequestSchema,
    ListTagsForResource: listTagsForResourceRequestSchema,
    UpdateTagsForResource: updateTagsForResourceRequestSchema,
    RequestEnvironmentInfo: environmentInfoRequestSchema,
    RetrieveEnvironmentInfo: environmentInfoRequestSchema,
    DescribeEnvironmentManagedActions: describeManagedActionsRequestSchema,
    DescribeEnvironmentManagedActionHistory: describeManagedActionHistoryRequestSchema,
  },
  {
    // Every answer is one page: no token is ever issued.
    DescribeApplicationVersions: ['NextToken'],
    DescribeEnvironments: ['NextToken'],
    // Every attribute is answered, asked for or not.
    DescribeEnvironmentHealth: ['AttributeNames'],
    DescribeInstancesHealth: ['AttributeNames', 'NextToken'],
    // The role EB would act as: Wharf's controller acts as itself.
    CreateEnvironment: ['OperationsRole'],
  },
);
