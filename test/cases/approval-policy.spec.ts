import assert from 'node:assert/strict';
import type { Person } from '../../src/cases/case';
import { GLOBAL_ADMINISTRATOR_ROLE_ID, isProtectedAccount, requiredApprovals, type PolicySettings } from '../../src/cases/policy';
import { loadConfig } from '../../src/config';

const SECURITY_ADMIN = '194ae4cb-b126-40b2-bd5b-6091b380977d';
const HELPDESK_ADMIN = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const alex: Person = { id: '00000000-0000-0000-0000-000000000020', displayName: 'Alex Wilber' };
const isaiah: Person = { id: '00000000-0000-0000-0000-000000000023', displayName: 'Isaiah Langer' };
const jane = { id: '00000000-0000-0000-0000-000000000030', displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com', mail: 'janed@contoso.com', manager: alex };
const demoPolicy = (): PolicySettings => loadConfig({}).policy;

describe('approval policy (who must approve)', () => {
  it('asks only one security approver when the manager requests an ordinary departure', () => {
    const answer = requiredApprovals(alex, jane, 'voluntary', [HELPDESK_ADMIN], demoPolicy());
    assert.deepEqual(answer, { ok: true, required: { manager: undefined, security: 1, globalAdmin: false, why: [] } });
  });

  it('asks the manager too when someone else (IT, HR) requested', () => {
    const answer = requiredApprovals(isaiah, jane, 'involuntary', [], demoPolicy());
    assert.ok(answer.ok);
    assert.deepEqual(answer.required.manager, alex);
    assert.equal(answer.required.security, 1);
  });

  it('asks nobody as manager for a person without one (it cannot be the requester either)', () => {
    const answer = requiredApprovals(isaiah, { manager: undefined }, 'voluntary', [], demoPolicy());
    assert.ok(answer.ok);
    assert.equal(answer.required.manager, undefined);
  });

  it('asks two different security approvers for a high-risk exit or a privileged role, and says why', () => {
    const highRisk = requiredApprovals(alex, jane, 'high-risk', [], demoPolicy());
    assert.ok(highRisk.ok);
    assert.equal(highRisk.required.security, 2);
    assert.deepEqual(highRisk.required.why, ['high-risk departure']);
    const privileged = requiredApprovals(alex, jane, 'voluntary', [SECURITY_ADMIN.toUpperCase()], demoPolicy());
    assert.ok(privileged.ok);
    assert.equal(privileged.required.security, 2);
    assert.deepEqual(privileged.required.why, ['holds, or can activate, a privileged directory role']);
  });

  it('treats a role as privileged when the configuration lists it (PRIVILEGED_ROLE_IDS)', () => {
    const policy = loadConfig({ PRIVILEGED_ROLE_IDS: HELPDESK_ADMIN }).policy;
    const answer = requiredApprovals(alex, jane, 'voluntary', [HELPDESK_ADMIN], policy);
    assert.ok(answer.ok);
    assert.equal(answer.required.security, 2);
  });

  it('asks an extra Global Administrator approver for a Global Administrator, and refuses when no group is configured', () => {
    const answer = requiredApprovals(alex, jane, 'voluntary', [GLOBAL_ADMINISTRATOR_ROLE_ID], demoPolicy());
    assert.ok(answer.ok);
    assert.equal(answer.required.globalAdmin, true);
    assert.equal(answer.required.security, 2, 'Global Administrator is always privileged');
    const policy = demoPolicy();
    const noGroup = { ...policy, approval: { ...policy.approval!, globalAdminApproverGroupId: undefined } };
    const refused = requiredApprovals(alex, jane, 'voluntary', [GLOBAL_ADMINISTRATOR_ROLE_ID], noGroup);
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? refused.reason : '', /Global Administrator/);
  });
});

describe('protected accounts', () => {
  const production = loadConfig({
    BOT_ID: '00000000-0000-0000-0000-000000000011',
    BOT_PASSWORD: 'x',
    BOT_TENANT_ID: '00000000-0000-0000-0000-000000000001',
    M365_TENANT_ID: '00000000-0000-0000-0000-000000000001',
    M365_CLIENT_ID: '00000000-0000-0000-0000-000000000012',
    M365_CLIENT_SECRET: 'y',
    SECURITY_GROUP_ID: '00000000-0000-0000-0000-000000000041',
    IT_GROUP_ID: '00000000-0000-0000-0000-000000000042',
    SECURITY_CHANNEL_ID: '19:s',
    IT_CHANNEL_ID: '19:i',
    MONGODB_URI: 'mongodb://db',
    PROTECTED_USER_IDS: '00000000-0000-0000-0000-000000000035',
    PROTECTED_ACCOUNT_NAMES: 'svc-offboarding@contoso.com',
  }).policy;
  const user = (id: string, upn: string) => ({ id, userPrincipalName: upn, mail: upn });

  it('protects break-glass ids, the bot and Graph app ids, and accounts named after the app', () => {
    assert.ok(isProtectedAccount(user('00000000-0000-0000-0000-000000000035', 'breakglass@contoso.com'), production));
    assert.ok(isProtectedAccount(user('00000000-0000-0000-0000-000000000011', 'x@contoso.com'), production), 'the bot id');
    assert.ok(isProtectedAccount(user('00000000-0000-0000-0000-000000000012', 'y@contoso.com'), production), 'the Graph app id');
    assert.ok(isProtectedAccount(user('00000000-0000-0000-0000-000000000099', 'SVC-Offboarding@contoso.com'), production), 'a configured service account, any case');
    assert.ok(isProtectedAccount(user('00000000-0000-0000-0000-000000000098', 'app-00000000-0000-0000-0000-000000000012@contoso.com'), production), 'a UPN carrying the app id');
    assert.equal(isProtectedAccount(user('00000000-0000-0000-0000-000000000030', 'janed@contoso.com'), production), false);
  });
});
