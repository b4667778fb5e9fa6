import type { AuditEventInput } from '../../../shared/model/audit';
import type { Assignment } from '../../../shared/model/assignment';
import type { Level } from '../../../shared/model/common';
import type { Role } from '../../../shared/model/role';
import { OTHER_MODULE, type AccessSuggestion } from './access-review';
import { changeEvent, type ChangeRecord, type TrustDeps } from './deps';
import { TrustError } from './errors';
import { grantsOf } from '../repos';
import { clipText } from '../../../shared/text';

/** For an "expiring" suggestion: extend the window to `validUntil`, or end the access now. */
export type ExpiringChoice = { action: 'renew'; validUntil: number } | { action: 'end' };

export interface AppliedSuggestion {
  suggestionId: string;
  /**
   * role-updated: the person's own role was downgraded in place; role-derived: the role is
   * shared, so the assignment now uses a per-person copy with the downgrade; the others are
   * what they say.
   */
  change: 'role-updated' | 'role-derived' | 'assignment-deleted' | 'assignment-renewed';
  assignment: Assignment | null;
  role: Role | null;
  /** The service reloads the policy after every applied suggestion (lost access closes tabs). */
  reloadPolicy: true;
}

const SOURCE = 'access-review';

/**
 * Carries out one suggestion of buildAccessReview through the repositories, in one
 * transaction, and logs it as owner-change rows (after the commit). Refuses with
 * TrustError('stale') when the assignment or role changed since the review was built.
 *
 * Downgrading a role held by other assignments would silently reduce their access too. So a
 * role used by this one assignment only is changed in place; otherwise the assignment is moved
 * to a derived role "<role> · <username>" (the same role with those modules at View), reusing
 * an identical derived role if one exists, and the shared role stays as it was.
 */
export function applySuggestion(deps: TrustDeps, actorId: string | null, suggestion: AccessSuggestion, choice?: ExpiringChoice): AppliedSuggestion {
  const { repos } = deps;
  const events: AuditEventInput[] = [];
  const now = deps.clock();
  const note = (change: ChangeRecord): void => void events.push(changeEvent(now, actorId, { ...change, source: SOURCE, extra: { suggestion: suggestion.id } }));

  const result = deps.db.transaction((): AppliedSuggestion => {
    const assignment = repos.assignments.get(suggestion.assignmentId);
    if (!assignment || assignment.staffId !== suggestion.staffId || assignment.storeId !== suggestion.storeId || assignment.roleId !== suggestion.roleId) {
      throw new TrustError('stale', 'this suggestion is out of date: the assignment changed since the review was made; run the review again');
    }
    const removeAssignment = (): AppliedSuggestion => {
      repos.assignments.delete(assignment.id);
      note({ entity: 'assignment', action: 'delete', id: assignment.id, before: assignment, after: null, storeId: assignment.storeId });
      return { suggestionId: suggestion.id, change: 'assignment-deleted', assignment: null, role: null, reloadPolicy: true };
    };
    switch (suggestion.kind) {
      case 'revoke':
      case 'remove-expired':
        return removeAssignment();
      case 'expiring': {
        if (!choice) throw new TrustError('invalid-input', 'say whether to renew the access (with a new end) or end it');
        if (choice.action === 'end') return removeAssignment();
        if (!Number.isInteger(choice.validUntil) || choice.validUntil <= now) throw new TrustError('invalid-input', 'the new end of the access must be in the future');
        const { id: _id, createdAt: _c, updatedAt: _u, ...input } = assignment;
        const renewed = repos.assignments.upsert({ ...input, validUntil: choice.validUntil });
        note({ entity: 'assignment', action: 'update', id: assignment.id, before: assignment, after: renewed, storeId: assignment.storeId });
        return { suggestionId: suggestion.id, change: 'assignment-renewed', assignment: renewed, role: null, reloadPolicy: true };
      }
      case 'downgrade':
        return downgrade(deps, assignment, suggestion, note);
    }
  })();
  for (const event of events) deps.log?.(event);
  return result;
}

function downgrade(
  deps: TrustDeps,
  assignment: Assignment,
  suggestion: Extract<AccessSuggestion, { kind: 'downgrade' }>,
  note: (change: ChangeRecord) => void,
): AppliedSuggestion {
  const { repos } = deps;
  const role = repos.roles.get(assignment.roleId);
  if (!role) throw new TrustError('stale', 'the role of this assignment no longer exists; run the review again');
  const levelOf = (module: string): Level => (module === OTHER_MODULE ? role.otherLevel : (role.levels[module] ?? 'none'));
  if (suggestion.modules.length === 0 || suggestion.modules.some((m) => levelOf(m) !== 'edit')) {
    throw new TrustError('stale', 'this suggestion is out of date: the role no longer grants Edit on those modules; run the review again');
  }
  const levels = { ...role.levels };
  for (const m of suggestion.modules) if (m !== OTHER_MODULE) levels[m] = 'view';
  const otherLevel: Level = suggestion.modules.includes(OTHER_MODULE) ? 'view' : role.otherLevel;

  if (repos.roles.countAssignments(role.id) === 1) {
    const updated = repos.roles.update(role.id, { levels, otherLevel });
    note({ entity: 'role', action: 'update', id: role.id, before: role, after: updated });
    return { suggestionId: suggestion.id, change: 'role-updated', assignment, role: updated, reloadPolicy: true };
  }

  const staff = repos.users.get(assignment.staffId);
  const name = clipText(`${role.name} · ${staff?.username ?? assignment.staffId}`, 80);
  const wanted = { ...grantsOf(role), levels, otherLevel };
  let derived = repos.roles.findIdentical(name, wanted);
  if (!derived) {
    const description = clipText(`Derived from "${role.name}" by the access review: ${suggestion.modules.join(', ')} downgraded to View for ${staff?.username ?? assignment.staffId}.`, 500);
    derived = repos.roles.create({ name, description, template: role.template, ...wanted });
    note({ entity: 'role', action: 'create', id: derived.id, before: null, after: derived });
  }
  const { id: _id, createdAt: _c, updatedAt: _u, ...input } = assignment;
  const moved = repos.assignments.upsert({ ...input, roleId: derived.id });
  note({ entity: 'assignment', action: 'update', id: assignment.id, before: assignment, after: moved, storeId: assignment.storeId });
  return { suggestionId: suggestion.id, change: 'role-derived', assignment: moved, role: derived, reloadPolicy: true };
}
