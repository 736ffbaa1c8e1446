import { Writable } from 'node:stream';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MetricsQueryError } from '../metrics/metrics-errors.js';
import { createLogger } from '../observability/logger.js';
import { BUILT_IN_ROLES, createSecurityContext } from '../auth/index.js';
import { capabilityAuthChecker } from './authorization.js';
import type { GraphqlContext } from './context.js';
import { MASKED_ERROR_MESSAGE, createErrorFormatter } from './mask-error.js';

function formatterWithLog() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { format: createErrorFormatter(createLogger({ level: 'info', destination })), lines };
}

/** What graphql-js does to anything a resolver throws. */
function located(error: Error): GraphQLError {
  return new GraphQLError(error.message, { path: ['metrics'], originalError: error });
}

const formattedOf = (error: GraphQLError) => ({ ...error.toJSON(), extensions: { code: 'INTERNAL_SERVER_ERROR', ...error.extensions } });

describe('createErrorFormatter', () => {
  it('passes an error that carries a code unchanged, and logs nothing', () => {
    const { format, lines } = formatterWithLog();
    const error = located(new GraphQLError('nope', { extensions: { code: 'FORBIDDEN' } }));
    expect(format(formattedOf(error), error)).toEqual({ message: 'nope', path: ['metrics'], extensions: { code: 'FORBIDDEN' } });
    expect(lines).toEqual([]);
  });

  it('maps a domain error found under the located wrapper', () => {
    const { format } = formatterWithLog();
    const error = located(new MetricsQueryError('FORBIDDEN_MEMBER', 'customers.cpf is not visible to role pos', 'customers.cpf'));
    expect(format(formattedOf(error), error)).toEqual({
      message: 'customers.cpf is not visible to role pos',
      path: ['metrics'],
      extensions: { code: 'FORBIDDEN', member: 'customers.cpf' },
    });
  });

  it('maps input mistakes to BAD_USER_INPUT with their reason', () => {
    const { format } = formatterWithLog();
    const error = located(new MetricsQueryError('UNKNOWN_MEMBER', 'Unknown member "sales.x" in measures', 'sales.x'));
    expect(format(formattedOf(error), error).extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'UNKNOWN_MEMBER', member: 'sales.x' });
  });

  it('masks personal data in any message it lets through', () => {
    const { format } = formatterWithLog();
    const error = located(new GraphQLError('No customer joao.silva@gmail.com or 123.456.789-09 at +55 11 98765-4334', { extensions: { code: 'BAD_USER_INPUT' } }));
    const message = format(formattedOf(error), error).message;
    expect(message).not.toMatch(/joao|456|98765/);
    expect(message).toContain('j***@g***.com');
    expect(message).toContain('***.***.***-09');
  });

  it('masks a code-less GraphQLError (a scalar refusing a value is a server bug) and logs it', () => {
    const { format, lines } = formatterWithLog();
    const error = located(new GraphQLError('JSONObject cannot represent non-object value: SELECT 1'));
    expect(format(formattedOf(error), error)).toEqual({
      message: MASKED_ERROR_MESSAGE, path: ['metrics'], extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(lines.join('')).toContain('SELECT 1');
  });
});

describe('capabilityAuthChecker', () => {
  const info = { parentType: { name: 'Query' }, fieldName: 'metrics' } as GraphQLResolveInfo;
  const as = (role: 'analyst' | 'pos') =>
    ({ root: {}, args: {}, info, context: { security: createSecurityContext(BUILT_IN_ROLES[role] as never, { credential: 'api-key', subject: 'abc' }) } as GraphqlContext });

  it('allows a role holding the capability and answers FORBIDDEN, naming the field, for any other', () => {
    expect(capabilityAuthChecker(as('analyst'), ['metrics'])).toBe(true);
    expect(() => capabilityAuthChecker(as('pos'), ['metrics'])).toThrow(
      expect.objectContaining({ message: 'Role "pos" may not query Query.metrics', extensions: { code: 'FORBIDDEN' } }),
    );
  });
});
