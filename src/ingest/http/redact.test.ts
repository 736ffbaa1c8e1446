import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTION_MARK, secretsFromHeaders } from './redact.js';

describe('createRedactor', () => {
  it('scrubs configured secret values wherever they appear', () => {
    const redactor = createRedactor(['s3cr3t-value']);
    expect(redactor.text('token=s3cr3t-value; again s3cr3t-value')).toBe(`token=${REDACTION_MARK}; again ${REDACTION_MARK}`);
  });

  it('replaces the longer of two overlapping secrets whole', () => {
    const redactor = createRedactor(['abcd', 'abcdefgh']);
    expect(redactor.text('x abcdefgh y')).toBe(`x ${REDACTION_MARK} y`);
  });

  it('scrubs the percent-encoded form too', () => {
    const redactor = createRedactor(['p@ss/word+1']);
    expect(redactor.text('/login?password=p%40ss%2Fword%2B1')).toBe(`/login?password=${REDACTION_MARK}`);
  });

  it('learns secrets from credential headers, whatever their case', () => {
    const redactor = createRedactor([], {
      'X-VTEX-API-AppKey': 'vtexappkey-loja-ABCDEF',
      'X-VTEX-API-AppToken': 'TOKENTOKENTOKEN',
      'User-Key': 'PLOOMESKEY123',
      accept: 'application/json',
    });
    const echoed = 'headers: vtexappkey-loja-ABCDEF TOKENTOKENTOKEN PLOOMESKEY123 application/json';
    expect(redactor.text(echoed)).toBe(`headers: ${REDACTION_MARK} ${REDACTION_MARK} ${REDACTION_MARK} application/json`);
  });

  it('scrubs Basic and Bearer credentials and cookie values separately', () => {
    const basic = Buffer.from('api-user:Sienge#Pass').toString('base64');
    const found = secretsFromHeaders({
      Authorization: `Basic ${basic}`,
      Cookie: 'B1SESSION=0f4c1a9e-7d6b; ROUTEID=.node1',
    });
    expect(found).toEqual(
      expect.arrayContaining([`Basic ${basic}`, basic, 'api-user:Sienge#Pass', 'Sienge#Pass', '0f4c1a9e-7d6b', '.node1']),
    );
    const redactor = createRedactor([], { authorization: 'Bearer eyJhbGciOi.payload.sig' });
    expect(redactor.text('invalid token eyJhbGciOi.payload.sig')).toBe(`invalid token ${REDACTION_MARK}`);
  });

  it('ignores fragments too short to be secrets', () => {
    expect(secretsFromHeaders({ cookie: 'a=1; b=xy' })).toEqual(['a=1; b=xy']);
  });

  it('masks credential headers and scrubs the others', () => {
    const redactor = createRedactor(['hunter22']);
    expect(
      redactor.headers({ Authorization: 'Basic abc', 'x-farol-hook-token': 'h', 'x-note': 'pw hunter22', accept: 'a' }),
    ).toEqual({ Authorization: REDACTION_MARK, 'x-farol-hook-token': REDACTION_MARK, 'x-note': `pw ${REDACTION_MARK}`, accept: 'a' });
  });

  it('extends with per-request secrets without forgetting the others', () => {
    const base = createRedactor(['first-secret']);
    const extended = base.with(['second-secret']);
    expect(extended.text('first-secret second-secret')).toBe(`${REDACTION_MARK} ${REDACTION_MARK}`);
    expect(base.text('second-secret')).toBe('second-secret');
    expect(base.with([])).toBe(base);
  });

  it('leaves text alone when there is nothing to scrub', () => {
    expect(createRedactor([''], {}).text('nothing here')).toBe('nothing here');
  });
});
