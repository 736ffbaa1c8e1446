import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, Authenticator, type AuthConfig, type JwtConfig } from '../../src/auth/index.js';
import { ACCESS_POLICIES } from '../fixtures/access-policies.js';
import { GraphqlTestServer } from '../schema/graphql-test-server.js';

const SECRET = 'hs256-shared-secret-0123456789abcdef';
const ISSUER = 'https://idp.farol.test/';
const AUDIENCE = 'farol-api';

/** A JWKS endpoint on 127.0.0.1 serving freshly generated RS256 and ES256 public keys. */
let jwksServer: http.Server;
let jwksUrl: string;
let rsa: { privateKey: CryptoKey; jwk: JWK };
let ec: { privateKey: CryptoKey; jwk: JWK };
let stranger: CryptoKey;

async function keyPair(alg: 'RS256' | 'ES256', kid: string) {
  const { publicKey, privateKey } = await generateKeyPair(alg);
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

beforeAll(async () => {
  rsa = await keyPair('RS256', 'rsa-1');
  ec = await keyPair('ES256', 'ec-1');
  stranger = (await generateKeyPair('RS256')).privateKey;
  jwksServer = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [rsa.jwk, ec.jwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
});

afterAll(async () => {
  await new Promise((resolve) => jwksServer?.close(resolve));
});

function authenticator(jwt: Partial<JwtConfig> = {}): Authenticator {
  const config: AuthConfig = {
    apiKeys: [],
    jwt: { secret: SECRET, jwksUrl, issuer: ISSUER, audience: AUDIENCE, roleClaim: 'role', ...jwt },
    accessFile: undefined,
  };
  return new Authenticator({ config, customRoles: ACCESS_POLICIES });
}

interface TokenOptions {
  readonly alg?: 'HS256' | 'RS256' | 'ES256';
  readonly key?: CryptoKey | Uint8Array;
  readonly kid?: string;
  readonly issuer?: string;
  readonly audience?: string;
  readonly expiresAt?: number | string;
  readonly claims?: Record<string, unknown>;
}

function token(o: TokenOptions = {}): Promise<string> {
  const alg = o.alg ?? 'HS256';
  const key = o.key ?? (alg === 'HS256' ? new TextEncoder().encode(SECRET) : alg === 'RS256' ? rsa.privateKey : ec.privateKey);
  const kid = o.kid ?? (alg === 'RS256' ? 'rsa-1' : alg === 'ES256' ? 'ec-1' : undefined);
  return new SignJWT({ role: 'analyst', ...o.claims })
    .setProtectedHeader({ alg, ...(kid === undefined ? {} : { kid }) })
    .setSubject('user-42')
    .setIssuer(o.issuer ?? ISSUER)
    .setAudience(o.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(o.expiresAt ?? '10m')
    .sign(key);
}

async function refused(auth: Authenticator, jwt: string): Promise<AuthError> {
  const err = await auth.authenticate(`Bearer ${jwt}`).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AuthError);
  expect((err as Error).message).not.toContain(jwt.split('.')[1] ?? jwt);
  return err as AuthError;
}

describe('JWT authentication', () => {
  it('accepts HS256 with the shared secret and reads the role claim', async () => {
    const ctx = await authenticator().authenticate(`Bearer ${await token()}`);
    expect(ctx).toMatchObject({ role: 'analyst', credential: 'jwt', subject: `${ISSUER}#user-42` });
    expect(ctx.data.piiVisible).toBe(false);
  });

  it('accepts RS256 and ES256 signed by keys from the JWKS URL', async () => {
    const auth = authenticator();
    expect((await auth.authenticate(`Bearer ${await token({ alg: 'RS256', claims: { role: 'app' } })}`)).role).toBe('app');
    expect((await auth.authenticate(`Bearer ${await token({ alg: 'ES256' })}`)).role).toBe('analyst');
  });

  it('binds a custom role\'s row rule to the token\'s claim', async () => {
    const ctx = await authenticator().authenticate(`Bearer ${await token({ alg: 'RS256', claims: { role: 'store_manager', store: 'centro' } })}`);
    expect(ctx.role).toBe('store_manager');
    expect(ctx.data.rowFilters).toEqual([{ member: 'stores.store_key', operator: 'equals', values: ['centro'] }]);
    expect(ctx.claims['store']).toBe('centro');
  });

  it('reads the role from another claim when told to', async () => {
    const ctx = await authenticator({ roleClaim: 'farol_role' }).authenticate(`Bearer ${await token({ claims: { role: 'admin', farol_role: 'app' } })}`);
    expect(ctx.role).toBe('app');
  });

  it('refuses an expired token', async () => {
    const err = await refused(authenticator(), await token({ expiresAt: Math.floor(Date.now() / 1000) - 3600 }));
    expect(err.code).toBe('UNAUTHENTICATED');
    expect(err.message).toBe('The token is not valid: it has expired');
  });

  it('refuses a wrong issuer and a wrong audience', async () => {
    expect((await refused(authenticator(), await token({ issuer: 'https://evil.test/' }))).message).toBe('The token is not valid: its issuer is not accepted');
    expect((await refused(authenticator(), await token({ audience: 'another-api' }))).message).toBe('The token is not valid: its audience is not accepted');
  });

  it('refuses a bad signature: another secret, a key not in the JWKS, a tampered payload', async () => {
    const auth = authenticator();
    expect((await refused(auth, await token({ key: new TextEncoder().encode('another-secret-0123456789abcdefghij') }))).message).toBe('The token is not valid: its signature does not verify');
    expect((await refused(auth, await token({ alg: 'RS256', key: stranger }))).message).toBe('The token is not valid: its signature does not verify');
    const [h, , s] = (await token()).split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ role: 'admin', iss: ISSUER, aud: AUDIENCE, exp: 4102444800 })).toString('base64url')}.${s}`;
    expect((await refused(auth, forged)).message).toBe('The token is not valid: its signature does not verify');
  });

  it('refuses alg none and an algorithm it was not configured for', async () => {
    const body = Buffer.from(JSON.stringify({ role: 'admin', iss: ISSUER, aud: AUDIENCE, exp: 4102444800 })).toString('base64url');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${body}.`;
    expect((await refused(authenticator(), none)).message).toBe('The token is not valid: its algorithm is not accepted');
    // With only a JWKS configured, an HS256 token (e.g. signed with the public key as secret) is refused.
    expect((await refused(authenticator({ secret: undefined }), await token())).message).toBe('The token is not valid: its algorithm is not accepted');
  });

  it('refuses a token without a role, with an unknown role, or missing a claim its role needs', async () => {
    const auth = authenticator();
    expect((await refused(auth, await token({ claims: { role: undefined } }))).message).toBe('The token is not valid: it has no "role" claim naming a role');
    const unknown = await refused(auth, await token({ claims: { role: 'root' } }));
    expect(unknown.code).toBe('FORBIDDEN');
    const noStore = await refused(auth, await token({ claims: { role: 'store_manager' } }));
    expect(noStore.code).toBe('FORBIDDEN');
    expect(noStore.message).toContain('needs the claim "store"');
  });

  it('refuses JWTs when none are configured, and sends anything else to API keys', async () => {
    const keysOnly = new Authenticator({ config: { apiKeys: [{ kind: 'plain', key: 'farol_app-key-0123456789abcdef', role: 'app' }], jwt: undefined, accessFile: undefined } });
    expect((await refused(keysOnly, await token())).message).toMatch(/not accepted here/);
    expect((await keysOnly.authenticate('Bearer farol_app-key-0123456789abcdef')).role).toBe('app');
  });
});

describe('JWTs over GraphQL', () => {
  const server = new GraphqlTestServer({ auth: { jwt: { secret: SECRET, jwksUrl: undefined, issuer: ISSUER, audience: AUDIENCE, roleClaim: 'role' } }, customRoles: ACCESS_POLICIES });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('serves a valid token and answers 401 to an expired one without echoing it', async () => {
    const ok = await server.post({ query: '{ catalog { name } }' }, await token({ claims: { role: 'store_manager', store: 'centro' } }));
    expect(ok.status).toBe(200);
    expect(server.metrics.catalogCalls.at(-1)).toMatchObject({ role: 'store_manager' });

    const expired = await token({ expiresAt: Math.floor(Date.now() / 1000) - 3600 });
    const res = await server.post({ query: '{ catalog { name } }' }, expired);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]).toMatchObject({ message: 'The token is not valid: it has expired', extensions: { code: 'UNAUTHENTICATED' } });
    expect(res.text).not.toContain(expired.split('.')[1]);
  });

  it('answers 403 FORBIDDEN to a valid token whose role cannot be served', async () => {
    const res = await server.post({ query: '{ catalog { name } }' }, await token({ claims: { role: 'store_manager' } }));
    expect(res.status).toBe(403);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
