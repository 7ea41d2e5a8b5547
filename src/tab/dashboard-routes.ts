import type restify from 'restify';
import { z } from 'zod';
import type { Readiness } from '../actions/permission-readiness';
import type { OffboardingCase, Person } from '../cases/case';
import { CaseOperations, isTargetOf, toRetry, type OperationResult } from '../cases/case-operations';
import { DISABLED_VIEWER, withAccountStatus, type DirectoryCheck, type PolicySettings } from '../cases/policy';
import type { Logger } from '../log';
import type { CaseStore } from '../store/case-store';
import { matches, toDetail, toRow } from './case-views';
import { evidenceFileName, evidencePack } from './evidence-pack';
import { evidencePage } from './evidence-page';
import type { TabCaller, TeamsTokenValidator } from './tab-auth';
import { registerTabFiles } from './tab-files';
import { DEMO_USERS, signIn, type SignInMode } from './tab-sign-in';

export interface DashboardDeps {
  mode: SignInMode;
  store: CaseStore;
  /** Group membership and account status, read on every request. */
  groups: DirectoryCheck;
  policy: PolicySettings;
  /** Validates Teams SSO tokens; without it only the demo sign-in (demo mode) works. */
  tokens?: TeamsTokenValidator;
  log: Logger;
  /** Retry, cancel and exception handling, shared with the Teams cards. */
  operations: CaseOperations;
  /** Which steps would fail for lack of consent, read from the app's own tokens at each call. */
  readiness: () => Promise<Readiness>;
  now?: () => Date;
}

interface Roles {
  security: boolean;
  it: boolean;
  hr: boolean;
}

const LIST_LIMIT = 500;

type Handler = (req: restify.Request, res: restify.Response, caller: TabCaller, roles: Roles) => Promise<void>;

/**
 * The dashboard tab's API and files. Every answer is decided here from the validated caller and
 * the directory: the page only hides what the server would refuse anyway.
 */
export function registerDashboardRoutes(server: restify.Server, deps: DashboardDeps): void {
  const now = deps.now ?? (() => new Date());
  const { operations } = deps;

  async function rolesOf(caller: TabCaller): Promise<Roles> {
    const { securityGroupId, itGroupId, hrGroupId } = deps.policy;
    const [security, it, hr] = await Promise.all([
      deps.groups.isMemberOf(caller.id, securityGroupId),
      deps.groups.isMemberOf(caller.id, itGroupId),
      hrGroupId ? deps.groups.isMemberOf(caller.id, hrGroupId) : Promise.resolve(false),
    ]);
    return { security, it, hr };
  }

  /** Signs the caller in and, unless `anyone`, requires security, IT or HR membership. */
  const route = (handler: Handler, anyone = false) => async (req: restify.Request, res: restify.Response) => {
    try {
      const signedIn = await signIn(req, deps.mode, deps.tokens);
      if ('refused' in signedIn) {
        deps.log.warn('tab.sign_in_refused', { path: req.path(), reason: signedIn.refused });
        res.json(401, { error: 'sign_in_required', message: 'Sign in to see offboarding cases.' });
        return;
      }
      // A disabled account (an IT admin fired an hour ago, say) keeps a working Teams token for a
      // while: it reads nothing. A change it asks for is refused by CaseOperations, which reads the
      // account itself and audits the refusal on the case.
      const read = await withAccountStatus(rolesOf(signedIn.caller), req.method === 'GET' ? deps.groups.isAccountEnabled(signedIn.caller.id) : Promise.resolve(true));
      if (!read.enabled) {
        deps.log.warn('tab.account_disabled', { path: req.path(), callerId: signedIn.caller.id });
        res.json(403, { error: 'account_disabled', message: DISABLED_VIEWER });
        return;
      }
      const roles = read.answer;
      if (!anyone && !(roles.security || roles.it || roles.hr)) {
        res.json(403, { error: 'forbidden', message: 'Only the security, IT and HR groups can see offboarding cases.' });
        return;
      }
      await handler(req, res, signedIn.caller, roles);
    } catch (err) {
      deps.log.error('tab.request_failed', { path: req.path(), error: (err as Error).message });
      res.json(500, { error: 'internal', message: 'Something went wrong; try again.' });
    }
  };

  /** The case, unless it is the caller's own offboarding: that one does not exist for them. */
  const loadCase = async (req: restify.Request, res: restify.Response, caller: TabCaller): Promise<OffboardingCase | null> => {
    const c = await deps.store.getCase(String(req.params.id));
    if (c && !isTargetOf(asPerson(caller), c)) return c;
    res.json(404, { error: 'not_found', message: 'No offboarding case with this id.' });
    return null;
  };

  server.get('/api/tab/session', async (_req: restify.Request, res: restify.Response) => {
    res.json(200, { mode: deps.mode, sso: !!deps.tokens, ...(deps.mode === 'demo' ? { demoUsers: DEMO_USERS } : {}) });
  });

  server.get('/api/me', route(async (_req, res, caller, roles) => {
    res.json(200, { ...caller, roles, mayViewCases: roles.security || roles.it || roles.hr });
  }, true));

  // A person's own offboarding is hidden from them, even in the security or IT group: a hostile
  // leaver must not learn the cut-off, and cannot steer the case anyway (CaseOperations).
  server.get('/api/cases', route(async (req, res, caller) => {
    const query = new URL(req.url ?? '', 'http://tab').searchParams;
    const filter = { state: query.get('state') ?? undefined, q: query.get('q') ?? undefined };
    const at = now();
    const cases = await deps.store.listCases(LIST_LIMIT);
    const visible = cases.filter((c) => !isTargetOf(asPerson(caller), c) && matches(c, filter));
    res.json(200, { cases: visible.map((c) => toRow(c, at)) });
  }));

  server.get('/api/cases/:id', route(async (req, res, caller) => {
    const c = await loadCase(req, res, caller);
    if (!c) return;
    const person = asPerson(caller);
    const [audit, retry, cancel] = await Promise.all([deps.store.listAudit(c._id), operations.mayRetry(person, c), operations.mayCancel(person, c)]);
    const retryable = toRetry(c);
    const canRetry = retry.allowed && retryable.steps.length + retryable.followUps.length > 0;
    const canCancel = cancel.allowed && (c.state === 'awaiting_approval' || c.state === 'approved');
    const canResolve = retry.allowed && [...c.steps, ...(c.followUps ?? [])].some((s) => s.status === 'manual' && !s.resolution);
    res.json(200, { case: toDetail(c, audit, now()), canRetry, canCancel, canResolve });
  }));

  // Marks a manual step or follow-up handled; the body names the item.
  server.post('/api/cases/:id/exceptions/resolve', route(async (req, res, caller) => {
    const parsed = RESOLVE_REQUEST.safeParse(req.body);
    if (!parsed.success) {
      res.json(400, { error: 'bad_request', message: RESOLVE_REQUEST_HELP });
      return;
    }
    const { note, ...item } = parsed.data;
    answer(res, await operations.resolveManualException(asPerson(caller), String(req.params.id), item, note));
  }));

  server.post('/api/cases/:id/retry', route(async (req, res, caller) => {
    answer(res, await operations.retryFailedSteps(asPerson(caller), String(req.params.id)));
  }));

  // Open to any signed-in caller: the requester may cancel their own request without being in a
  // dashboard group, and CaseOperations decides who may.
  server.post('/api/cases/:id/cancel', route(async (req, res, caller) => {
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : undefined;
    answer(res, await operations.cancel(asPerson(caller), String(req.params.id), reason));
  }, true));

  // IT grants the app's permissions and runs the steps; the list also tells what the app cannot
  // do, which is nobody else's business.
  server.get('/api/readiness', route(async (_req, res, _caller, roles) => {
    if (!roles.it) {
      res.json(403, { error: 'forbidden', message: 'Only the IT operations group can see whether the app has the permissions it needs.' });
      return;
    }
    res.json(200, await deps.readiness());
  }));

  server.get('/api/cases/:id/evidence.json', route(async (req, res, caller) => {
    const c = await loadCase(req, res, caller);
    if (!c) return;
    const pack = evidencePack(c, await deps.store.listAudit(c._id), asPerson(caller), now());
    await auditExport(c, caller, 'json');
    res.header('content-disposition', `attachment; filename="${evidenceFileName(c, 'json')}"`);
    res.json(200, pack);
  }));

  server.get('/api/cases/:id/evidence.html', route(async (req, res, caller) => {
    const c = await loadCase(req, res, caller);
    if (!c) return;
    const page = evidencePage(evidencePack(c, await deps.store.listAudit(c._id), asPerson(caller), now()));
    await auditExport(c, caller, 'html');
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-disposition': `attachment; filename="${evidenceFileName(c, 'html')}"`,
      // The page is static: its own inline styles and nothing else.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    });
    res.end(page);
  }));

  /** Who took the record out, and when, is itself part of the record. */
  async function auditExport(c: OffboardingCase, caller: TabCaller, format: 'json' | 'html'): Promise<void> {
    await deps.store.appendAudit({ caseId: c._id, at: now().toISOString(), actor: caller.id, event: 'evidence.exported', detail: { format } });
  }

  registerTabFiles(server);
}

/**
 * Which manual exception to mark handled, and what was done. Strict: an unknown kind, a negative
 * or fractional index or an extra field is a tampered request, answered 400 with nothing changed.
 * Whether the item exists and is an open exception is the case's to say (CaseOperations).
 */
const RESOLVE_REQUEST = z.strictObject({
  kind: z.enum(['step', 'followUp']),
  index: z.number().int().min(0),
  note: z.string(),
});
const RESOLVE_REQUEST_HELP = 'Say which item to mark handled (kind "step" or "followUp", and its index: a whole number from 0) and, in note, what was done.';

const asPerson = (caller: TabCaller): Person => ({ id: caller.id, displayName: caller.name });

const STATUS: Record<OperationResult['kind'], number> = { done: 200, refused: 403, conflict: 409, not_found: 404 };

function answer(res: restify.Response, result: OperationResult): void {
  if (result.kind === 'done') res.json(200, { ok: true, state: result.case.state });
  else res.json(STATUS[result.kind], { error: result.kind, message: result.message });
}
