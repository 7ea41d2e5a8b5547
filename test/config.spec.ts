import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../src/config';

const GUID = (n: number) => `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`;
const productionEnv = {
  BOT_ID: GUID(11),
  BOT_PASSWORD: 'bot-secret',
  BOT_TENANT_ID: GUID(1),
  M365_TENANT_ID: GUID(1),
  M365_CLIENT_ID: GUID(12),
  M365_CLIENT_SECRET: 'graph-secret',
  SECURITY_GROUP_ID: GUID(41),
  IT_GROUP_ID: GUID(42),
  SECURITY_CHANNEL_ID: '19:security@thread.tacv2',
  IT_CHANNEL_ID: '19:it@thread.tacv2',
  MONGODB_URI: 'mongodb://db.internal:27017',
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  assert.fail('expected the configuration to be refused');
}

describe('configuration', () => {
  it('with no credentials runs the demo on loopback with the simulated tenant defaults', () => {
    const config = loadConfig({});
    assert.equal(config.mode, 'demo');
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 3978);
    assert.equal(config.policy.securityGroupId, GUID(41));
    assert.equal(config.mongodb, undefined);
  });

  it('refuses a demo (auth off) listening beyond loopback', () => {
    const problems = problemsOf({ HOST: '0.0.0.0' });
    assert.match(problems.join('\n'), /HOST: demo mode .* may only listen on loopback/);
  });

  it('uses a simulated tenant running elsewhere when SIM_URL names one on loopback, and refuses any other host', () => {
    const config = loadConfig({ SIM_URL: 'http://127.0.0.1:4100' });
    assert.equal(config.mode === 'demo' && config.simUrl, 'http://127.0.0.1:4100');
    assert.equal((loadConfig({}) as { simUrl?: string }).simUrl, undefined, 'by default the app starts its own');
    assert.match(problemsOf({ SIM_URL: 'http://sim.example.com:4100' }).join('\n'), /SIM_URL: must be a loopback URL/);
  });

  it('lets the demo withhold permissions from the simulated tenant\'s tokens, naming only permissions the app needs', () => {
    const config = loadConfig({ SIM_WITHHELD_PERMISSIONS: 'Exchange.ManageAsApp, AuditLog.Read.All' });
    assert.deepEqual(config.mode === 'demo' && config.simWithheldPermissions, ['Exchange.ManageAsApp', 'AuditLog.Read.All']);
    assert.match(problemsOf({ SIM_WITHHELD_PERMISSIONS: 'AuditLog.Read' }).join('\n'), /SIM_WITHHELD_PERMISSIONS\.0: must name permissions the app needs/);
  });

  it('refuses a production start with BOT_ID but no secret or tenant, listing everything missing', () => {
    const problems = problemsOf({ BOT_ID: GUID(11) });
    const text = problems.join('\n');
    for (const name of ['M365_TENANT_ID', 'M365_CLIENT_ID', 'M365_CLIENT_SECRET', 'SECURITY_GROUP_ID', 'IT_GROUP_ID', 'SECURITY_CHANNEL_ID', 'IT_CHANNEL_ID']) {
      assert.match(text, new RegExp(name), `${name} is listed`);
    }
    assert.doesNotMatch(text, /BOT_ID/, 'BOT_ID itself was given');
  });

  it('asks for the password and tenant of a single-tenant bot and for MongoDB in production', () => {
    const { BOT_PASSWORD, BOT_TENANT_ID, MONGODB_URI, ...rest } = productionEnv;
    const text = problemsOf(rest).join('\n');
    assert.match(text, /BOT_PASSWORD: required for BOT_TYPE SingleTenant/);
    assert.match(text, /BOT_TENANT_ID: required for BOT_TYPE SingleTenant/);
    assert.match(text, /MONGODB_URI: required in production/);
  });

  it('accepts a complete production configuration and treats empty values as unset', () => {
    const config = loadConfig({ ...productionEnv, HR_GROUP_ID: '', PROTECTED_USER_IDS: `${GUID(35)}, ${GUID(36)}` });
    assert.equal(config.mode, 'production');
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.policy.hrGroupId, undefined);
    assert.deepEqual(config.policy.protectedUserIds, [GUID(35), GUID(36), GUID(11), GUID(12)], 'plus the app\'s own identities');
  });

  it('names the variable when a value is malformed', () => {
    const text = problemsOf({ ...productionEnv, SECURITY_GROUP_ID: 'security', PORT: 'eighty' }).join('\n');
    assert.match(text, /SECURITY_GROUP_ID: must be a GUID/);
    assert.match(text, /PORT/);
  });

  it('never echoes a secret value in its errors', () => {
    const text = problemsOf({ ...productionEnv, M365_CLIENT_ID: 'not-a-guid' }).join('\n');
    assert.doesNotMatch(text, /graph-secret|bot-secret/);
  });

  it('has demo approval defaults: reminders, expiry, escalation and a Global Administrator approver group', () => {
    const { policy, channels } = loadConfig({});
    assert.deepEqual(
      { ...policy.approval, privilegedRoleIds: policy.approval?.privilegedRoleIds.length },
      { reminderHours: 24, expiryHours: 72, privilegedRoleIds: 12, escalationGroupId: GUID(42), globalAdminApproverGroupId: GUID(42) },
    );
    assert.equal(channels.escalationChannelId, '19:it-operations@thread.tacv2');
  });

  it('validates the approval settings at start, naming each variable', () => {
    const text = problemsOf({ ...productionEnv, REMINDER_HOURS: 'soon', GLOBAL_ADMIN_APPROVER_GROUP_ID: 'admins', PRIVILEGED_ROLE_IDS: 'x,y', ESCALATION_CHANNEL_ID: '19:esc' }).join('\n');
    for (const name of ['REMINDER_HOURS', 'GLOBAL_ADMIN_APPROVER_GROUP_ID', 'PRIVILEGED_ROLE_IDS']) assert.match(text, new RegExp(`${name}[.:0-9]*: `));
    const order = problemsOf({ ...productionEnv, REMINDER_HOURS: '80', APPROVAL_EXPIRY_HOURS: '72', ESCALATION_CHANNEL_ID: '19:esc' }).join('\n');
    assert.match(order, /REMINDER_HOURS: must be less than APPROVAL_EXPIRY_HOURS/);
    assert.match(order, /ESCALATION_GROUP_ID: required when ESCALATION_CHANNEL_ID is set/);
  });

  it('in production, protects the bot and Graph app identities and leaves Global Administrators unapprovable unless a group is set', () => {
    const config = loadConfig(productionEnv);
    assert.ok(config.policy.protectedUserIds.includes(GUID(11)), 'BOT_ID');
    assert.ok(config.policy.protectedUserIds.includes(GUID(12)), 'M365_CLIENT_ID');
    assert.equal(config.policy.approval?.globalAdminApproverGroupId, undefined);
    assert.ok(config.policy.approval?.privilegedRoleIds.includes('62e90394-69f5-4237-9190-012177145e10'));
  });

  it('takes the Conditional Access block group from CA_BLOCK_GROUP_ID: the seed\'s group in the demo, none by default in production, a GUID or refused', () => {
    assert.equal(loadConfig({}).conditionalAccessBlockGroupId, '00000000-0000-0000-0000-0000000000ca');
    assert.equal(loadConfig(productionEnv).conditionalAccessBlockGroupId, undefined);
    assert.equal(loadConfig({ ...productionEnv, CA_BLOCK_GROUP_ID: 'AAAAAAAA-0000-0000-0000-0000000000CA' }).conditionalAccessBlockGroupId, 'aaaaaaaa-0000-0000-0000-0000000000ca');
    assert.match(problemsOf({ ...productionEnv, CA_BLOCK_GROUP_ID: 'Offboarding block' }).join('\n'), /CA_BLOCK_GROUP_ID: must be a GUID/);
  });

  it('runs 8 cases at once per instance unless ENGINE_CASES_AT_ONCE says otherwise, within 1 to 200', () => {
    assert.equal(loadConfig({}).casesAtOnce, 8);
    assert.equal(loadConfig({ ...productionEnv, ENGINE_CASES_AT_ONCE: '45' }).casesAtOnce, 45);
    assert.match(problemsOf({ ...productionEnv, ENGINE_CASES_AT_ONCE: '0' }).join('\n'), /ENGINE_CASES_AT_ONCE: must be at least 1/);
    assert.match(problemsOf({ ...productionEnv, ENGINE_CASES_AT_ONCE: 'many' }).join('\n'), /ENGINE_CASES_AT_ONCE: /);
  });
});
