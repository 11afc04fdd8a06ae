/**
 * Elastic Beanstalk (`POST /v1/elasticbeanstalk/<Operation>`, EB's PascalCase JSON): the requests
 * of the applications, versions, environments and configuration operations, and what they answer
 * with (ApplicationView, ApplicationVersionView, EnvironmentView, EnvironmentEventView).
 */
import { z } from 'zod';
import { notYetField } from '../validation.js';
import { EVENT_SEVERITIES } from '../events.js';
import type { OptionSetting, PlatformName } from '../platform.js';
import { CNAME_PATTERN, ENVIRONMENT_NAME_PATTERN } from '../platform.js';

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
