import { z } from 'zod';

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
} as const;

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');
const guidList = z
  .string()
  .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
  .pipe(z.array(guid));
const port = z.coerce.number().int().min(0).max(65535);
const loopbackHosts = ['127.0.0.1', 'localhost', '::1'];

const common = {
  PORT: port.default(3978),
  DATA_DIR: z.string().min(1).default('.data'),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
  MONGODB_DB: z.string().min(1).default('offboarding'),
  DEFAULT_TIME_ZONE: z.string().min(1).default('UTC'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
};

const demoSchema = z.object({
  ...common,
  HOST: z.string().refine((h) => loopbackHosts.includes(h), {
    message: 'demo mode (no bot credentials, auth off) may only listen on loopback (127.0.0.1, localhost or ::1)',
  }).default('127.0.0.1'),
  SIM_PORT: port.default(0),
  SECURITY_GROUP_ID: guid.default(DEMO_DEFAULTS.securityGroupId),
  IT_GROUP_ID: guid.default(DEMO_DEFAULTS.itGroupId),
  HR_GROUP_ID: guid.default(DEMO_DEFAULTS.hrGroupId),
  SECURITY_CHANNEL_ID: z.string().min(1).default(DEMO_DEFAULTS.securityChannelId),
  IT_CHANNEL_ID: z.string().min(1).default(DEMO_DEFAULTS.itChannelId),
  PROTECTED_USER_IDS: guidList.default([...DEMO_DEFAULTS.protectedUserIds]),
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
});

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
  policy: {
    securityGroupId: string;
    itGroupId: string;
    hrGroupId?: string;
    protectedUserIds: string[];
  };
  channels: { securityChannelId: string; itChannelId: string };
}

export interface DemoConfig extends CommonConfig {
  mode: 'demo';
  simPort: number;
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
    return {
      mode: 'demo',
      host: e.HOST,
      port: e.PORT,
      simPort: e.SIM_PORT,
      dataDir: e.DATA_DIR,
      mongodb: e.MONGODB_URI ? { uri: e.MONGODB_URI, db: e.MONGODB_DB } : undefined,
      defaultTimeZone: e.DEFAULT_TIME_ZONE,
      logLevel: e.LOG_LEVEL,
      policy: {
        securityGroupId: e.SECURITY_GROUP_ID,
        itGroupId: e.IT_GROUP_ID,
        hrGroupId: e.HR_GROUP_ID,
        protectedUserIds: e.PROTECTED_USER_IDS,
      },
      channels: { securityChannelId: e.SECURITY_CHANNEL_ID, itChannelId: e.IT_CHANNEL_ID },
    };
  }
  const parsed = productionSchema.safeParse(env);
  const problems = [...describe(parsed.error), ...productionCrossChecks(env)];
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
      protectedUserIds: e.PROTECTED_USER_IDS,
    },
    channels: { securityChannelId: e.SECURITY_CHANNEL_ID, itChannelId: e.IT_CHANNEL_ID },
  };
}
