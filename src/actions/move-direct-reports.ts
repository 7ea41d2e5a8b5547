import { guidSegment } from '../m365/odata';
import { describeError } from './describe-error';
import { eachObject, readAll } from './graph-pages';
import type { ActionContext, OffboardingAction, PlannedChange } from './offboarding-action';

interface Report {
  '@odata.type'?: string;
  id: string;
  displayName: string;
}

const readReports = ({ graph, target }: ActionContext) =>
  readAll<Report>(graph, `/users/${guidSegment(target.id)}/directReports?$select=id,displayName`);

/**
 * Moves the user's direct reports to the user's own manager (their manager's manager), so
 * approvals, org charts and access reviews do not point at a departed account.
 * PUT /users/{report}/manager/$ref. Permission User.ReadWrite.All.
 */
export const moveDirectReports: OffboardingAction<Report> = {
  name: 'moveDirectReports',
  async plan(ctx): Promise<PlannedChange<Report>> {
    // Contacts can be reports too; only users have a manager Graph can set.
    const reports = (await readReports(ctx)).filter((r) => (r['@odata.type'] ?? '#microsoft.graph.user') === '#microsoft.graph.user');
    if (reports.length === 0) return { changes: [], found: 'no direct reports.' };
    const names = reports.map((r) => r.displayName).join(', ');
    if (!ctx.target.manager) {
      const reason = `The user has no manager to take over the direct reports (${names}): choose their new manager in Entra.`;
      return { changes: [], found: reason, stop: { status: 'skipped', reason } };
    }
    return { changes: reports, found: `${names} will report to ${ctx.target.manager.displayName}.` };
  },
  async apply(ctx, plan) {
    const manager = ctx.target.manager!;
    const refused = new Set<string>();
    const failures = await eachObject(
      plan.changes,
      (r) => ctx.graph.send('PUT', `/users/${guidSegment(r.id)}/manager/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/users/${guidSegment(manager.id)}` }),
      (r, err) => {
        refused.add(r.id);
        return `Could not move ${r.displayName}: ${describeError(err)}`;
      },
    );
    const moved = plan.changes.filter((r) => !refused.has(r.id)).map((r) => r.displayName);
    return { detail: moved.length > 0 ? `${moved.join(', ')} now report to ${manager.displayName}.` : '', failures };
  },
  async verify(ctx, plan) {
    const left = (await readReports(ctx)).filter((r) => plan.changes.some((p) => p.id === r.id));
    return left.length === 0 ? { ok: true, detail: '(verified)' } : { ok: false, detail: `Still reporting to the user: ${left.map((r) => r.displayName).join(', ')}.` };
  },
};
