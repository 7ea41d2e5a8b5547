import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ACTIONS } from '../../src/actions/catalogue';
import { APP_READ_PERMISSIONS, EXCHANGE_PERMISSION, FOLLOW_UP_PERMISSIONS, STEP_PERMISSIONS, type PermissionNeed } from '../../src/actions/required-permissions';
import { FOLLOW_UP_LABELS } from '../../src/cards/wording';
import { projectFile } from '../../src/project-files';

const README = readFileSync(projectFile('README.md'), 'utf8');

/** The README from its heading to the next one of the same level or higher. */
function section(heading: string): string {
  const start = README.indexOf(heading);
  assert.ok(start >= 0, `README has "${heading}"`);
  const level = /^#+/.exec(heading)![0].length;
  const next = README.slice(start + heading.length).search(new RegExp(`\\n#{1,${level}} `));
  return next < 0 ? README.slice(start) : README.slice(start, start + heading.length + next);
}

/** Permission names as they appear in text: Dotted.Names, User-PasswordProfile.ReadWrite.All. */
const namesIn = (text: string) => new Set(text.match(/\b[A-Z][A-Za-z]*(?:-[A-Za-z]+)?(?:\.[A-Za-z]+)+\b/g) ?? []);

const GRAPH_TABLE = namesIn(section('### Microsoft Graph application permissions').split('\n').filter((line) => line.startsWith('|')).join('\n'));
const PERMISSIONS_SECTION = namesIn(`${section('### Microsoft Graph application permissions')}\n${section('### Exchange Online')}`);

const EVERY_NEED: [string, PermissionNeed][] = [...Object.entries(STEP_PERMISSIONS), ...Object.entries(FOLLOW_UP_PERMISSIONS), ...Object.entries(APP_READ_PERMISSIONS)];

describe('the permissions each offboarding step needs', () => {
  it('names every action in the catalogue and every follow-up, so a new one cannot ship without its permissions', () => {
    assert.deepEqual(Object.keys(STEP_PERMISSIONS).sort(), Object.keys(ACTIONS).sort());
    assert.deepEqual(Object.keys(FOLLOW_UP_PERMISSIONS).sort(), Object.keys(FOLLOW_UP_LABELS).sort());
  });

  it('asks to grant only permissions the README table tells the admin to grant', () => {
    for (const [step, need] of EVERY_NEED) {
      for (const [toGrant] of need.graph) assert.ok(GRAPH_TABLE.has(toGrant), `${step}: ${toGrant} is not in the README's Graph permissions table`);
    }
  });

  it('counts broader permissions only when the README says they count', () => {
    for (const [step, need] of EVERY_NEED) {
      for (const permission of need.graph.flat()) assert.ok(PERMISSIONS_SECTION.has(permission), `${step}: ${permission} is not named in the README's permissions section`);
    }
    assert.ok(namesIn(section('### Exchange Online')).has(EXCHANGE_PERMISSION));
  });

  it('says which steps run Exchange cmdlets and which need a directory role no token shows', () => {
    const exchangeSteps = Object.entries(STEP_PERMISSIONS).filter(([, need]) => need.exchange).map(([step]) => step);
    for (const step of ['clearMailboxForwarding', 'convertToShared', 'grantMailboxAccess', 'setAutoReply', 'setLitigationHold', 'removeMobileDevices']) {
      assert.ok(exchangeSteps.includes(step), step);
    }
    assert.equal(FOLLOW_UP_PERMISSIONS.removeDelegateAccess.exchange, true);
    assert.match(STEP_PERMISSIONS.blockSignIn.directoryRole ?? '', /User Administrator/);
    assert.match(STEP_PERMISSIONS.resetPassword.directoryRole ?? '', /User Administrator/);
  });
});
