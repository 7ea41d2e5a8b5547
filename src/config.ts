import { z } from 'zod';
import { EXCHANGE_PERMISSION, GRAPH_PERMISSIONS_TO_GRANT } from './actions/required-permissions';
import { GLOBAL_ADMINISTRATOR_ROLE_ID, type ApprovalSettings, type PolicySettings } from './cases/policy';

/**
 * Configuration, read once from the environment and validated.
 *
 * Two modes. `demo`: no bot or Microsoft 365 credentials at all; the app talks to its own
 * simulated tenant, the Bot Framework auth is off, so it may only listen on loopback.
 * `production`: bot and Microsoft 365 credentials present; every setting a real tenant needs must
 * be given, or the app refuses to start and lists what is missing.
 */

/** Demo defaults match .m365agentsplayground.yml and the simulated tenant's seed (src/sim/seed.ts). */
export const DEMO_DEFAULTS = {
  securityGroupId: '00000000-0000-0000-0000-000000000041',
  itGroupId: '00000000-0000-0000-0000-000000000042',
  hrGroupId: '00000000-0000-0000-0000-000000000043',
  securityChannelId: '19:security@thread.tacv2',
  itChannelId: '19:it-operations@thread.tacv2',
  protectedUserIds: ['00000000-0000-0000-0000-000000000035'],
  /** In the demo, IT Operations is told when approvals stall, in its own channel. */
  escalationGroupId: '00000000-0000-0000-0000-000000000042',
  escalationChannelId: '19:it-operations@thread.tacv2',
  /** In the demo, IT Operations gives the extra approval a Global Administrator's offboarding needs. */
  globalAdminApproverGroupId: '00000000-0000-0000-0000-000000000042',
  /** The simulated tenant's "Offboarding – block sign-in (CA)" group (src/sim/seed-workplace.ts). */
  conditionalAccessBlockGroupId: '00000000-0000-0000-0000-0000000000ca',
} as const;


/**
 * Roles whose holder's offboarding needs two different security approvers (tier 0: each can take
 * over the tenant or its identities). Microsoft flags more roles as privileged (Helpdesk
 * Administrator, for example); add their template ids, or custom role ids, in PRIVILEGED_ROLE_IDS.
 */
export const DEFAULT_PRIVILEGED_ROLE_IDS = [
  GLOBAL_ADMINISTRATOR_ROLE_ID,
  'e8611ab8-c189-46e8-94e1-60213ab1f814', // Privileged Role Administrator
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13', // Privileged Authentication Administrator
  '194ae4cb-b126-40b2-bd5b-6091b380977d', // Security Administrator
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9', // Conditional Access Administrator
  'fe930be7-5e62-47db-91af-98c3a49a38b1', // User Administrator
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', // Application Administrator
  '158c047a-c907-4556-b7ef-446551a6b5f7', // Cloud Application Administrator
  '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2', // Hybrid Identity Administrator
  '29232cdf-9323-42fd-ade2-1d097af3e4de', // Exchange Administrator
  'f28a1f50-f6e7-4571-818b-6a12f2af6b6c', // SharePoint Administrator
  '3a2c62db-5318-420d-8d74-23affee5d9d5', // Intune Administrator
];

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');
const guidList = z
  .string()
  .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
  .pipe(z.array(guid));
const port = z.coerce.number().int().min(0).max(65535);
const hours = z.coerce.number().positive('must be a positive number of hours').max(24 * 90, 'must be at most 2160 hours (90 days)');
const days = z.coerce.number().int('must be a whole number of days').min(1, 'must be at least 1 day').max(3650, 'must be at most 3650 days');
const textList = z.string().transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean));
const loopbackHosts = ['127.0.0.1', 'localhost', '::1'];

const common = {
  PORT: port.default(3978),
  DATA_DIR: z.string().min(1).default('.data'),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
  MONGODB_DB: z.string().min(1).default('offboarding'),
  DEFAULT_TIME_ZONE: z.string().min(1).default('UTC'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Hours after the request at which the Security channel is reminded and the escalation group told. */
  REMINDER_HOURS: hours.default(24),
  /** Hours after the request at which an undecided case is cancelled as expired. */
  APPROVAL_EXPIRY_HOURS: hours.default(72),
  PRIVILEGED_ROLE_IDS: guidList.default([...DEFAULT_PRIVILEGED_ROLE_IDS]),
  /** UPNs or mail addresses of accounts the app itself uses (service or sync accounts): never offboarded. */
  PROTECTED_ACCOUNT_NAMES: textList.default([]),
  /** Days after a case closes at which IT is reminded, in its channel, to review it. */
  REVIEW_AFTER_DAYS: days.default(30),
  /** Days after a completed case at which the account is deleted; unset (the default) never deletes. */
  DELETE_AFTER_DAYS: days.optional(),
  /**
   * Cases one instance runs at once. Bulk offboarding goes faster with more (the sign-in and audit
   * log reads of the cases running together share one query); each case holds store and Graph work.
   */
  ENGINE_CASES_AT_ONCE: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(200, 'must be at most 200').default(8),
};

const demoSchema = z.object({
  ...common,
  HOST: z.string().refine((h) => loopbackHosts.includes(h), {
    message: 'demo mode (no bot credentials, auth off) may only listen on loopback (127.0.0.1, localhost or ::1)',
  }).default('127.0.0.1'),
  SIM_PORT: port.default(0),
  /**
   * A simulated tenant already running (started by another instance's test set-up or a benchmark),
   * instead of one of the app's own: several instances then share one tenant. Loopback only.
   */
  SIM_URL: z.url().refine((u) => loopbackHosts.includes(new URL(u).hostname.replace(/^\[|\]$/g, '')), {
    message: 'must be a loopback URL (http://127.0.0.1:<port>): the simulated tenant takes no real credentials',
  }).optional(),
  SECURITY_GROUP_ID: guid.default(DEMO_DEFAULTS.securityGroupId),
  IT_GROUP_ID: guid.default(DEMO_DEFAULTS.itGroupId),
  HR_GROUP_ID: guid.default(DEMO_DEFAULTS.hrGroupId),
  SECURITY_CHANNEL_ID: z.string().min(1).default(DEMO_DEFAULTS.securityChannelId),
  IT_CHANNEL_ID: z.string().min(1).default(DEMO_DEFAULTS.itChannelId),
  PROTECTED_USER_IDS: guidList.default([...DEMO_DEFAULTS.protectedUserIds]),
  ESCALATION_GROUP_ID: guid.default(DEMO_DEFAULTS.escalationGroupId),
  ESCALATION_CHANNEL_ID: z.string().min(1).default(DEMO_DEFAULTS.escalationChannelId),
  GLOBAL_ADMIN_APPROVER_GROUP_ID: guid.default(DEMO_DEFAULTS.globalAdminApproverGroupId),
  CA_BLOCK_GROUP_ID: guid.default(DEMO_DEFAULTS.conditionalAccessBlockGroupId),
  /**
   * Permissions the simulated tenant's tokens leave out, as if admin consent had not been given for
   * them: shows the dashboard's readiness banner and the steps that would fail.
   */
  SIM_WITHHELD_PERMISSIONS: textList
    .pipe(z.array(z.enum([...GRAPH_PERMISSIONS_TO_GRANT, EXCHANGE_PERMISSION], { message: 'must name permissions the app needs (see the README permissions table)' })))
    .default([]),
});

const productionSchema = z.object({
  ...common,
  HOST: z.string().min(1).default('0.0.0.0'),
  BOT_ID: guid,
  BOT_PASSWORD: z.string().min(1).optional(),
  BOT_TENANT_ID: guid.optional(),
  BOT_TYPE: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).default('SingleTenant'),
  /** Host the tab is served from; tab SSO tokens may carry api://<BOT_DOMAIN>/<BOT_ID> as audience. */
  BOT_DOMAIN: z.string().min(1).optional(),
  M365_TENANT_ID: guid,
  M365_CLIENT_ID: guid,
  M365_CLIENT_SECRET: z.string().min(1),
  GRAPH_BASE_URL: z.url().default('https://graph.microsoft.com'),
  SECURITY_GROUP_ID: guid,
  IT_GROUP_ID: guid,
  HR_GROUP_ID: guid.optional(),
  SECURITY_CHANNEL_ID: z.string().min(1),
  IT_CHANNEL_ID: z.string().min(1),
  PROTECTED_USER_IDS: guidList.default([]),
  /** Told when approvals stall; without it, the reminder says nobody was escalated to. */
  ESCALATION_GROUP_ID: guid.optional(),
  ESCALATION_CHANNEL_ID: z.string().min(1).optional(),
  /** Without it, Global Administrators cannot be offboarded through the bot at all. */
  GLOBAL_ADMIN_APPROVER_GROUP_ID: guid.optional(),
  /** Security group a Conditional Access policy blocks; without it the block-group step is skipped. */
  CA_BLOCK_GROUP_ID: guid.optional(),
});

/** Rules across the approval settings, in both modes. */
function approvalCrossChecks(env: { REMINDER_HOURS: number; APPROVAL_EXPIRY_HOURS: number; ESCALATION_GROUP_ID?: string; ESCALATION_CHANNEL_ID?: string }): string[] {
  const problems: string[] = [];
  if (env.REMINDER_HOURS >= env.APPROVAL_EXPIRY_HOURS) {
    problems.push('REMINDER_HOURS: must be less than APPROVAL_EXPIRY_HOURS, or the reminder would come after the case expired');
  }
  if (env.ESCALATION_CHANNEL_ID && !env.ESCALATION_GROUP_ID) problems.push('ESCALATION_GROUP_ID: required when ESCALATION_CHANNEL_ID is set');
  return problems;
}

/** Rules across variables; checked even when single values are missing, so one run lists all. */
function productionCrossChecks(env: Record<string, string>): string[] {
  const problems: string[] = [];
  const type = env.BOT_TYPE ?? 'SingleTenant';
  if (type !== 'UserAssignedMSI' && !env.BOT_PASSWORD) problems.push(`BOT_PASSWORD: required for BOT_TYPE ${type}`);
  if (type !== 'MultiTenant' && !env.BOT_TENANT_ID) problems.push(`BOT_TENANT_ID: required for BOT_TYPE ${type}`);
  if (!env.MONGODB_URI) problems.push('MONGODB_URI: required in production: MongoDB is the store of record');
  return problems;
}

const CREDENTIAL_VARS = ['BOT_ID', 'BOT_PASSWORD', 'BOT_TENANT_ID', 'M365_TENANT_ID', 'M365_CLIENT_ID', 'M365_CLIENT_SECRET'];

interface CommonConfig {
  host: string;
  port: number;
  dataDir: string;
  mongodb?: { uri: string; db: string };
  defaultTimeZone: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  policy: PolicySettings;
  channels: { securityChannelId: string; itChannelId: string; escalationChannelId?: string };
  /** Scheduled follow-ups of closed cases (src/engine/follow-ups). */
  followUps: { reviewAfterDays: number; deleteAfterDays?: number };
  /** Cases one engine instance runs at once. */
  casesAtOnce: number;
  /** Group a Conditional Access policy blocks from signing in; offboarded users are added to it. */
  conditionalAccessBlockGroupId?: string;
}

export interface DemoConfig extends CommonConfig {
  mode: 'demo';
  simPort: number;
  /** Set when the simulated tenant runs elsewhere; the app then starts none of its own. */
  simUrl?: string;
  /** Permissions the simulated tenant's tokens leave out. */
  simWithheldPermissions: string[];
}

export interface ProductionConfig extends CommonConfig {
  mode: 'production';
  botDomain?: string;
  bot: { appId: string; password?: string; tenantId?: string; type: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI' };
  m365: { tenantId: string; clientId: string; clientSecret: string; graphBaseUrl: string };
}

export type AppConfig = DemoConfig | ProductionConfig;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is incomplete or invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Empty strings count as unset: env files often carry `BOT_ID=` placeholders. */
function clean(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') out[k] = v.trim();
  return out;
}

function describe(error: z.ZodError | undefined): string[] {
  return (error?.issues ?? []).map((i) => {
    const message = /received undefined/.test(i.message) ? 'is required' : i.message;
    return `${i.path.join('.') || '(environment)'}: ${message}`;
  });
}

export function loadConfig(rawEnv: NodeJS.ProcessEnv = process.env): AppConfig {
  const env = clean(rawEnv);
  const production = CREDENTIAL_VARS.some((k) => k in env);
  if (!production) {
    const parsed = demoSchema.safeParse(env);
    if (!parsed.success) throw new ConfigError(describe(parsed.error));
    const e = parsed.data;
    const approvalProblems = approvalCrossChecks(e);
    if (approvalProblems.length > 0) throw new ConfigError(approvalProblems);
    return {
      mode: 'demo',
      host: e.HOST,
      port: e.PORT,
      simPort: e.SIM_PORT,
      simUrl: e.SIM_URL,
      simWithheldPermissions: e.SIM_WITHHELD_PERMISSIONS,
      dataDir: e.DATA_DIR,
      mongodb: e.MONGODB_URI ? { uri: e.MONGODB_URI, db: e.MONGODB_DB } : undefined,
      defaultTimeZone: e.DEFAULT_TIME_ZONE,
      logLevel: e.LOG_LEVEL,
      policy: {
        securityGroupId: e.SECURITY_GROUP_ID,
        itGroupId: e.IT_GROUP_ID,
        hrGroupId: e.HR_GROUP_ID,
        protectedUserIds: e.PROTECTED_USER_IDS,
        protectedAccountNames: e.PROTECTED_ACCOUNT_NAMES,
        approval: approvalSettings(e),
      },
      channels: { securityChannelId: e.SECURITY_CHANNEL_ID, itChannelId: e.IT_CHANNEL_ID, escalationChannelId: e.ESCALATION_CHANNEL_ID },
      followUps: { reviewAfterDays: e.REVIEW_AFTER_DAYS, deleteAfterDays: e.DELETE_AFTER_DAYS },
      casesAtOnce: e.ENGINE_CASES_AT_ONCE,
      conditionalAccessBlockGroupId: e.CA_BLOCK_GROUP_ID.toLowerCase(),
    };
  }
  const parsed = productionSchema.safeParse(env);
  const problems = [...describe(parsed.error), ...productionCrossChecks(env), ...(parsed.success ? approvalCrossChecks(parsed.data) : [])];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    mode: 'production',
    host: e.HOST,
    port: e.PORT,
    dataDir: e.DATA_DIR,
    mongodb: { uri: e.MONGODB_URI as string, db: e.MONGODB_DB },
    defaultTimeZone: e.DEFAULT_TIME_ZONE,
    logLevel: e.LOG_LEVEL,
    botDomain: e.BOT_DOMAIN,
    bot: { appId: e.BOT_ID, password: e.BOT_PASSWORD, tenantId: e.BOT_TENANT_ID, type: e.BOT_TYPE },
    m365: {
      tenantId: e.M365_TENANT_ID,
      clientId: e.M365_CLIENT_ID,
      clientSecret: e.M365_CLIENT_SECRET,
      graphBaseUrl: e.GRAPH_BASE_URL,
    },
    policy: {
      securityGroupId: e.SECURITY_GROUP_ID,
      itGroupId: e.IT_GROUP_ID,
      hrGroupId: e.HR_GROUP_ID,
      // The app's own identities are never a target, whatever PROTECTED_USER_IDS says: an id or a
      // UPN/mail carrying the bot's or the Graph app's id is refused (see policy.ts).
      protectedUserIds: [...new Set([...e.PROTECTED_USER_IDS, e.BOT_ID, e.M365_CLIENT_ID].map((id) => id.toLowerCase()))],
      protectedAccountNames: [...e.PROTECTED_ACCOUNT_NAMES, e.BOT_ID, e.M365_CLIENT_ID],
      approval: approvalSettings(e),
    },
    channels: { securityChannelId: e.SECURITY_CHANNEL_ID, itChannelId: e.IT_CHANNEL_ID, escalationChannelId: e.ESCALATION_CHANNEL_ID },
    followUps: { reviewAfterDays: e.REVIEW_AFTER_DAYS, deleteAfterDays: e.DELETE_AFTER_DAYS },
    casesAtOnce: e.ENGINE_CASES_AT_ONCE,
    conditionalAccessBlockGroupId: e.CA_BLOCK_GROUP_ID?.toLowerCase(),
  };
}

function approvalSettings(e: {
  REMINDER_HOURS: number;
  APPROVAL_EXPIRY_HOURS: number;
  PRIVILEGED_ROLE_IDS: string[];
  ESCALATION_GROUP_ID?: string;
  GLOBAL_ADMIN_APPROVER_GROUP_ID?: string;
}): ApprovalSettings {
  return {
    reminderHours: e.REMINDER_HOURS,
    expiryHours: e.APPROVAL_EXPIRY_HOURS,
    // Global Administrator always counts as privileged, even if left out of the list.
    privilegedRoleIds: [...new Set([GLOBAL_ADMINISTRATOR_ROLE_ID, ...e.PRIVILEGED_ROLE_IDS.map((id) => id.toLowerCase())])],
    escalationGroupId: e.ESCALATION_GROUP_ID,
    globalAdminApproverGroupId: e.GLOBAL_ADMIN_APPROVER_GROUP_ID,
  };
}
