import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { TeamsTokenValidator, TokenRejected } from '../../src/tab/tab-auth';

const TENANT = '00000000-0000-0000-0000-000000000001';
const OTHER_TENANT = '99999999-0000-0000-0000-000000000001';
const CLIENT_ID = '00000000-0000-0000-0000-000000000011';
const DOMAIN = 'offboarding.contoso.com';
const ISAIAH = '00000000-0000-0000-0000-000000000023';

describe('Teams SSO token validation (keys from a local JWKS)', () => {
  let jwks: Server;
  let jwksUrl: string;
  let tenantKey: CryptoKey;
  let strangerKey: CryptoKey;
  let validator: TeamsTokenValidator;

  before(async () => {
    const tenant = await generateKeyPair('RS256');
    tenantKey = tenant.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const publicJwk = { ...(await exportJWK(tenant.publicKey)), kid: 'tenant-key-1', use: 'sig', alg: 'RS256' };
    jwks = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/discovery/v2.0/keys`;
    validator = new TeamsTokenValidator({ tenantId: TENANT, clientId: CLIENT_ID, domain: DOMAIN, jwksUrl });
  });

  after(() => new Promise<void>((resolve) => jwks.close(() => resolve())));

  function token(claims: JWTPayload = {}, opts: { key?: CryptoKey; expiresIn?: string | number; kid?: string } = {}) {
    return new SignJWT({
      aud: `api://${DOMAIN}/${CLIENT_ID}`,
      iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      tid: TENANT,
      oid: ISAIAH,
      name: 'Isaiah Langer',
      scp: 'access_as_user',
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'tenant-key-1', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime(opts.expiresIn ?? '1h')
      .sign(opts.key ?? tenantKey);
  }

  async function refused(tokenText: Promise<string>, reason: RegExp) {
    await assert.rejects(validator.validate(await tokenText), (err: unknown) => {
      assert.ok(err instanceof TokenRejected, String(err));
      assert.match(err.reason, reason);
      return true;
    });
  }

  it('accepts a good token and returns the caller\'s object id and name', async () => {
    assert.deepEqual(await validator.validate(await token()), { id: ISAIAH, name: 'Isaiah Langer' });
  });

  it('accepts the bare client id as audience and the v1 (sts.windows.net) issuer', async () => {
    const caller = await validator.validate(await token({ aud: CLIENT_ID, iss: `https://sts.windows.net/${TENANT}/` }));
    assert.equal(caller.id, ISAIAH);
  });

  it('refuses an expired token', async () => {
    await refused(token({}, { expiresIn: Math.floor(Date.now() / 1000) - 3600 }), /exp/);
  });

  it('refuses a token not yet valid (nbf in the future)', async () => {
    await refused(token({ nbf: Math.floor(Date.now() / 1000) + 3600 }), /nbf/);
  });

  it('refuses a token for another app (wrong audience)', async () => {
    await refused(token({ aud: `api://${DOMAIN}/11111111-0000-0000-0000-000000000000` }), /aud/);
    await refused(token({ aud: 'https://graph.microsoft.com' }), /aud/);
  });

  it('refuses a token from another tenant', async () => {
    await refused(token({ iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`, tid: OTHER_TENANT }), /iss/);
    await refused(token({ tid: OTHER_TENANT }), /tid/);
  });

  it('refuses a token signed by a key that is not the tenant\'s (bad signature)', async () => {
    await refused(token({}, { key: strangerKey }), /signature/i);
    await refused(token({}, { key: strangerKey, kid: 'unknown-kid' }), /JWKS|key/i);
  });

  it('refuses a token without the access_as_user scope', async () => {
    await refused(token({ scp: 'User.Read' }), /access_as_user/);
    await refused(token({ scp: undefined }), /access_as_user/);
  });
});
