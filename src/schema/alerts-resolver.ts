import { GraphQLError } from 'graphql';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { scrubPii } from '../auth/index.js';
import { DEFAULT_ALERTS_LIMIT, MAX_ALERTS_LIMIT, type AlertsApi, type AlertView } from './alerts-api.js';
import { AlertStateEnum, AlertType, SilenceType } from './alerts-types.js';
import { Requires } from './authorization.js';
import type { GraphqlContext } from './context.js';
import { badUserInput, ERROR_CODES } from './errors.js';

/** Bounds the resolvers enforce; the service bounds them again. */
export const MAX_SILENCE_MINUTES = 30 * 24 * 60;
const MAX_TEXT = 500;

function alerts(ctx: GraphqlContext): AlertsApi {
  if (!ctx.services.alerts) throw new GraphQLError('Alerts are not running in this process', { extensions: { code: ERROR_CODES.SERVICE_UNAVAILABLE } });
  return ctx.services.alerts;
}

/** Alert text can quote run errors and data-test messages; roles without PII get them scrubbed. */
function view(a: AlertView, ctx: GraphqlContext): AlertType {
  const pii = ctx.security.data.piiVisible;
  return { ...a, state: a.state as AlertStateEnum, title: pii ? a.title : scrubPii(a.title), summary: pii ? a.summary : scrubPii(a.summary) };
}

@Resolver()
export class AlertsResolver {
  @Query(() => [AlertType], { description: 'Alerts, newest first.' })
  @Requires('alerts')
  async alerts(
    @Arg('state', () => AlertStateEnum, { nullable: true }) state: AlertStateEnum | null | undefined,
    @Arg('limit', () => Int, { nullable: true, defaultValue: DEFAULT_ALERTS_LIMIT }) limitArg: number | null,
    @Ctx() ctx: GraphqlContext,
  ): Promise<AlertType[]> {
    const limit = limitArg ?? DEFAULT_ALERTS_LIMIT;
    if (limit < 1 || limit > MAX_ALERTS_LIMIT) throw badUserInput(`limit must be between 1 and ${MAX_ALERTS_LIMIT}, got ${limit}`, { reason: 'INVALID_QUERY', field: 'alerts.limit' });
    return (await alerts(ctx).list({ state: state ?? undefined, limit })).map((a) => view(a, ctx));
  }

  @Query(() => [SilenceType], { description: 'Silences in force now.' })
  @Requires('alerts')
  async silences(@Ctx() ctx: GraphqlContext): Promise<SilenceType[]> {
    return [...(await alerts(ctx).silences())];
  }

  @Mutation(() => AlertType, { description: 'Marks an alert as seen by the caller; a second acknowledgement keeps the first.' })
  @Requires('alertsManage')
  async acknowledgeAlert(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphqlContext): Promise<AlertType> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw badUserInput(`No alert has the id "${id.slice(0, 60)}"`, { reason: 'INVALID_QUERY', field: 'acknowledgeAlert.id' });
    const a = await alerts(ctx).acknowledge(id, ctx.security.subject);
    if (!a) throw badUserInput(`No alert has the id "${id}"`, { reason: 'INVALID_QUERY', field: 'acknowledgeAlert.id' });
    return view(a, ctx);
  }

  @Mutation(() => SilenceType, { description: 'Keeps new alerts of a rule (one series, or all) from being sent for a while; they are still recorded.' })
  @Requires('alertsManage')
  async silence(
    @Arg('rule', () => String) rule: string,
    @Arg('series', () => String, { nullable: true }) seriesArg: string | null | undefined,
    @Arg('minutes', () => Int) minutes: number,
    @Arg('reason', () => String, { nullable: true }) reasonArg: string | null | undefined,
    @Ctx() ctx: GraphqlContext,
  ): Promise<SilenceType> {
    // An omitted nullable argument arrives as undefined, not null.
    const series = seriesArg ?? null;
    const reason = reasonArg ?? null;
    const api = alerts(ctx);
    if (!api.ruleNames().includes(rule)) {
      throw badUserInput(`Unknown alert rule "${rule.slice(0, 80)}"; rules: ${api.ruleNames().join(', ') || '(none)'}`, { reason: 'INVALID_QUERY', field: 'silence.rule' });
    }
    if (minutes < 1 || minutes > MAX_SILENCE_MINUTES) throw badUserInput(`minutes must be between 1 and ${MAX_SILENCE_MINUTES} (30 days), got ${minutes}`, { reason: 'INVALID_QUERY', field: 'silence.minutes' });
    if (series !== null && series.length > MAX_TEXT) throw badUserInput(`series is longer than ${MAX_TEXT} characters`, { reason: 'INVALID_QUERY', field: 'silence.series' });
    if (reason !== null && reason.length > MAX_TEXT) throw badUserInput(`reason is longer than ${MAX_TEXT} characters`, { reason: 'INVALID_QUERY', field: 'silence.reason' });
    return api.silence({ rule, series, minutes, reason }, ctx.security.subject);
  }
}
