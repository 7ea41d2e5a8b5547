import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  MissingVariablesError,
  parseEnvFile,
  resolvePlaceholders,
  schemaPathFor,
  validateManifest,
  type PackagedManifest,
} from '../../scripts/package-app';

const root = path.resolve(__dirname, '..', '..');
const template = readFileSync(path.join(root, 'appPackage', 'manifest.json'), 'utf8');
const envFile = (name: string) => parseEnvFile(readFileSync(path.join(root, 'env', `.env.${name}`), 'utf8'));
const resolve = (vars: Record<string, string>) => JSON.parse(resolvePlaceholders(template, vars)) as PackagedManifest;

const provisionedDev = {
  ...envFile('dev'),
  TEAMS_APP_ID: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  BOT_ID: '9a8b7c6d-1234-4abc-8def-0123456789ab',
  BOT_DOMAIN: 'offboarding.contoso.com',
};

describe('Teams app manifest', () => {
  it('resolved with env/.env.local, validates against the official schema of its declared version', () => {
    const manifest = resolve(envFile('local'));
    assert.ok(existsSync(schemaPathFor(manifest.manifestVersion)), `no schema for ${manifest.manifestVersion}`);
    assert.deepEqual(validateManifest(manifest), []);
  });

  it('uses the Playground bot id locally, so the Playground and the package agree on the bot', () => {
    const playground = readFileSync(path.join(root, '.m365agentsplayground.yml'), 'utf8');
    const playgroundBotId = /^bot:\s*\n\s+id:\s*(\S+)/m.exec(playground)?.[1];
    const manifest = resolve(envFile('local'));
    assert.equal((manifest.bots as { botId: string }[])[0].botId, playgroundBotId);
  });

  it('resolved for a provisioned dev environment, validates and names the dashboard tab and bot domain', () => {
    const manifest = resolve(provisionedDev);
    assert.deepEqual(validateManifest(manifest), []);
    assert.deepEqual(manifest.validDomains, ['offboarding.contoso.com']);
    assert.equal((manifest.staticTabs as { contentUrl: string }[])[0].contentUrl, 'https://offboarding.contoso.com/tab/index.html');
    assert.deepEqual(manifest.webApplicationInfo, {
      id: provisionedDev.BOT_ID,
      resource: `api://offboarding.contoso.com/${provisionedDev.BOT_ID}`,
    });
    assert.equal((manifest.name as { short: string }).short, 'Offboarding-dev');
  });

  it('offers the offboard and help commands in personal chat and in teams', () => {
    const bot = (resolve(envFile('local')).bots as { scopes: string[]; commandLists: { scopes: string[]; commands: { title: string }[] }[] }[])[0];
    assert.deepEqual([...bot.scopes].sort(), ['groupChat', 'personal', 'team']);
    const list = bot.commandLists[0];
    assert.deepEqual([...list.scopes].sort(), ['personal', 'team']);
    assert.deepEqual(list.commands.map((c) => c.title), ['offboard', 'help']);
  });

  it('rejects a bot id that is not a GUID, naming the field and the bad value', () => {
    const manifest = resolve({ ...provisionedDev, BOT_ID: 'offboarding-bot' });
    const problems = validateManifest(manifest);
    const botIdProblem = problems.find((p) => p.startsWith('/bots/0/botId '));
    assert.ok(botIdProblem, `expected a /bots/0/botId problem in:\n${problems.join('\n')}`);
    assert.match(botIdProblem, /must match pattern/);
    assert.match(botIdProblem, /"offboarding-bot"/);
  });

  it('rejects a manifest without a name, saying the property is required', () => {
    const manifest = resolve(provisionedDev);
    delete manifest.name;
    assert.deepEqual(validateManifest(manifest), ["manifest must have required property 'name'"]);
  });

  it('rejects a short name longer than Teams allows (30 characters)', () => {
    const manifest = resolve({ ...provisionedDev, APP_NAME_SUFFIX: ' for the Contoso security team' });
    assert.deepEqual(validateManifest(manifest), [
      '/name/short must NOT have more than 30 characters (got "Offboarding for the Contoso security team")',
    ]);
  });

  it('rejects a property the schema does not know, naming it', () => {
    const manifest = { ...resolve(provisionedDev), botName: 'Offboarding' };
    assert.deepEqual(validateManifest(manifest), ['manifest must NOT have additional properties (unexpected "botName")']);
  });

  it('reports a manifestVersion that has no official schema', () => {
    const manifest = { ...resolve(provisionedDev), manifestVersion: '9.99' };
    assert.deepEqual(validateManifest(manifest), ['manifestVersion "9.99" has no schema in @microsoft/app-manifest']);
  });
});

describe('manifest placeholders', () => {
  it('reports every variable without a value by name', () => {
    const { BOT_DOMAIN: _domain, BOT_ID: _bot, ...withoutBot } = provisionedDev;
    assert.throws(
      () => resolvePlaceholders(template, withoutBot),
      (error: unknown) => {
        assert.ok(error instanceof MissingVariablesError);
        assert.deepEqual([...error.names].sort(), ['BOT_DOMAIN', 'BOT_ID']);
        assert.match(error.message, /BOT_ID/);
        assert.match(error.message, /BOT_DOMAIN/);
        return true;
      },
    );
  });

  it('accepts an empty value, so production can drop the name suffix', () => {
    const manifest = resolve({ ...provisionedDev, APP_NAME_SUFFIX: '' });
    assert.equal((manifest.name as { short: string }).short, 'Offboarding');
  });

  it('escapes values so a quote cannot break the manifest JSON', () => {
    const resolved = resolvePlaceholders('{"short": "Offboarding${{APP_NAME_SUFFIX}}"}', { APP_NAME_SUFFIX: ' "beta" \\ test' });
    assert.deepEqual(JSON.parse(resolved), { short: 'Offboarding "beta" \\ test' });
  });

  it('tolerates spaces inside the braces, as the Agents Toolkit does', () => {
    assert.equal(resolvePlaceholders('api://${{ BOT_DOMAIN }}/x', { BOT_DOMAIN: 'contoso.com' }), 'api://contoso.com/x');
  });
});

describe('env file parsing', () => {
  it('reads KEY=VALUE lines, skipping comments and blank lines, unquoting values and dropping inline comments', () => {
    const vars = parseEnvFile(
      ['# comment', '', 'TEAMSFX_ENV=dev', 'BOT_ID=', 'APP_NAME_SUFFIX=" (dev)"', 'BOT_DOMAIN=contoso.com # public host', 'not a pair'].join('\n'),
    );
    assert.deepEqual(vars, { TEAMSFX_ENV: 'dev', BOT_ID: '', APP_NAME_SUFFIX: ' (dev)', BOT_DOMAIN: 'contoso.com' });
  });
});
