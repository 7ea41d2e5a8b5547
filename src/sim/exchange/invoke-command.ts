/**
 * The simulated Exchange admin REST endpoint: POST /adminapi/beta/{tenantId}/InvokeCommand with
 * {"CmdletInput":{"CmdletName","Parameters"}}, answering as Exchange Online does: results in
 * `value`, pages through @odata.nextLink (the client re-POSTs the same body), errors with the
 * exception in error.details[].message.
 */
import type { IncomingMessage } from 'node:http';
import { appHoldsAnyRole, MAY_RUN_EXCHANGE_CMDLETS } from '../app-roles';
import { EXCHANGE_AUDIENCES, readAppToken } from '../app-token';
import type { FaultInjector } from '../faults';
import type { GraphResponse } from '../graph/request';
import type { TenantState } from '../state';
import { CALENDAR_CMDLETS } from './calendar-cmdlets';
import { COMMON_PARAMETERS, type Cmdlet, type Params } from './cmdlet';
import { ExchangeHttpError, exchangeErrorBody, missingParameter, unknownCmdlet, unknownParameter } from './exchange-errors';
import { DISTRIBUTION_GROUP_OWNER_CMDLETS } from './distribution-group-owners';
import { MAILBOX_CMDLETS } from './mailbox-cmdlets';
import { RECIPIENT_CMDLETS } from './recipient-cmdlets';

const UNAUTHORIZED = 'Microsoft.Exchange.Admin.OData.Core.UnauthorizedException';

const CMDLETS: Record<string, Cmdlet> = { ...MAILBOX_CMDLETS, ...RECIPIENT_CMDLETS, ...DISTRIBUTION_GROUP_OWNER_CMDLETS, ...CALENDAR_CMDLETS };

export interface ExchangeParts {
  state: TenantState;
  faults: FaultInjector;
}

/** Cmdlet and parameter names are case-insensitive in PowerShell; bind them to their real spelling. */
function bind(name: string, cmdlet: Cmdlet, given: Params): Params {
  const bound: Params = {};
  for (const [key, value] of Object.entries(given)) {
    const known = [...cmdlet.parameters, ...COMMON_PARAMETERS].find((p) => p.toLowerCase() === key.toLowerCase());
    if (!known) throw unknownParameter(key);
    bound[known] = value;
  }
  for (const required of cmdlet.required ?? []) if (!(required in bound)) throw missingParameter(required);
  return bound;
}

function readCommand(rawBody: string): { name: string; params: Params } {
  let input: { CmdletInput?: { CmdletName?: unknown; Parameters?: unknown } } | undefined;
  try {
    input = JSON.parse(rawBody);
  } catch {
    input = undefined;
  }
  const name = input?.CmdletInput?.CmdletName;
  const params = input?.CmdletInput?.Parameters ?? {};
  if (typeof name !== 'string' || typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new ExchangeHttpError(400, 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException', 'The request body must be {"CmdletInput":{"CmdletName":...,"Parameters":{...}}}.');
  }
  return { name, params: params as Params };
}

/** The cmdlet a call names, as faults match it (…/InvokeCommand/Set-Mailbox); empty when unreadable. */
export function cmdletNameOf(rawBody: string): string {
  try {
    return readCommand(rawBody).name;
  } catch {
    return '';
  }
}

function runCommand(req: IncomingMessage, url: URL, segments: string[], rawBody: string, sim: ExchangeParts): GraphResponse {
  const token = readAppToken(req.headers.authorization, EXCHANGE_AUDIENCES);
  // Exchange Online takes app-only calls with the Exchange.ManageAsApp application permission.
  if ('refused' in token || !token.caller.roles.has('Exchange.ManageAsApp')) {
    throw new ExchangeHttpError(401, UNAUTHORIZED, 'The access token is missing or invalid.', { 'WWW-Authenticate': 'Bearer' });
  }
  const [, version, tenant, operation] = segments;
  if (version !== 'beta' || operation !== 'InvokeCommand' || segments.length !== 4 || req.method !== 'POST') {
    throw new ExchangeHttpError(404, 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException', `No route for ${req.method} ${url.pathname}.`);
  }
  if (tenant.toLowerCase() !== sim.state.tenantId.toLowerCase()) {
    throw new ExchangeHttpError(401, UNAUTHORIZED, `The token is not valid for tenant '${tenant}'.`);
  }
  // …and runs cmdlets only through an Exchange role the app's service principal holds.
  if (!appHoldsAnyRole(sim.state, token.caller.appId, MAY_RUN_EXCHANGE_CMDLETS)) {
    throw new ExchangeHttpError(
      401,
      UNAUTHORIZED,
      `The role assigned to application ${token.caller.appId} isn't supported in this scenario. Please check online documentation for assigning correct Directory Roles to Azure AD Application for EXO App-Only Authentication.`,
    );
  }
  const anchor = String(req.headers['x-anchormailbox'] ?? '');
  if (!anchor.toLowerCase().startsWith('app:systemmailbox{')) {
    throw new ExchangeHttpError(400, 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException', 'X-AnchorMailbox header is missing or not an APP:SystemMailbox anchor.');
  }
  const { name, params } = readCommand(rawBody);
  const cmdlet = Object.entries(CMDLETS).find(([known]) => known.toLowerCase() === name.toLowerCase())?.[1];
  // Faults are matched against the path followed by the cmdlet, e.g. /adminapi/beta/{t}/InvokeCommand/Set-Mailbox.
  const fault = sim.faults.take('POST', `${url.pathname}/${name}`);
  if (fault) throw new ExchangeHttpError(fault.status, `Microsoft.Exchange.Simulated.${fault.code}`, fault.message, fault.headers);
  if (!cmdlet) throw unknownCmdlet(name);
  const bound = bind(name, cmdlet, params);
  const all = cmdlet.run(bound, sim.state);
  const skip = Number(url.searchParams.get('$skiptoken') ?? 0) || 0;
  const size = sim.state.exchangePageSize;
  const next = skip + size < all.length ? `${url.origin}${url.pathname}?$skiptoken=${skip + size}` : undefined;
  return {
    status: 200,
    body: {
      '@odata.context': `${url.origin}/adminapi/beta/${tenant}/$metadata#Collection(Exchange.GenericHashTable)`,
      value: all.slice(skip, skip + size),
      ...(next ? { '@odata.nextLink': next } : {}),
    },
  };
}

/** Answers one InvokeCommand call; errors come back in Exchange's shape, with Retry-After kept. */
export function answerExchange(req: IncomingMessage, url: URL, segments: string[], rawBody: string, sim: ExchangeParts, headers: Record<string, string>, requestId: string): GraphResponse {
  try {
    return runCommand(req, url, segments, rawBody, sim);
  } catch (err) {
    const known = err instanceof ExchangeHttpError ? err : new ExchangeHttpError(500, 'System.Exception', err instanceof Error ? err.message : String(err));
    Object.assign(headers, known.headers);
    return { status: known.status, body: exchangeErrorBody(known, requestId) };
  }
}
