import type { ActionName } from '../cases/case';
import type { ActionContext, OffboardingAction, PlannedChange } from './offboarding-action';

/**
 * A step that only reads the tenant and leaves what it finds to a person (in `manual`): its plan
 * never lists a change, so there is nothing to apply or to read back.
 */
export function flagOnly(name: ActionName, plan: (ctx: ActionContext) => Promise<PlannedChange<never>>): OffboardingAction<never> {
  return {
    name,
    plan,
    async apply() {
      return { detail: 'Nothing to change.', failures: [] };
    },
    async verify() {
      return { ok: true, detail: '' };
    },
  };
}
