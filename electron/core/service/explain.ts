import type { Decision } from '../../../shared/model/decision';

const REASONS: Record<Decision['reason'], string> = {
  owner: 'the owner may open everything',
  'rule-allow': 'a custom allow rule matches',
  'rule-block': 'a custom block rule matches',
  'module-edit': 'the role has Edit on this module',
  'module-view': 'the role has View on this module, which allows reading',
  'module-view-readonly-post': 'the role has View on this module and this POST only reads (a listed read-only request)',
  'module-view-mutation': 'the role has only View on this module, which does not allow changes',
  'module-none': 'the role has no access (None) to this module',
  'other-edit': 'no module covers this URL and the role allows editing other pages',
  'other-view': 'no module covers this URL and the role allows reading other pages',
  'other-view-mutation': 'no module covers this URL and the role allows only reading other pages',
  'other-none': 'no module covers this URL and the role allows no other pages',
  baseline: 'it is a static asset every assigned staff member may load',
  'internal-page': 'it is a blank or embedded browser page',
  'step-up-granted': 'it is a step-up page and the owner approved it',
  'step-up-required': 'it is a step-up page: the owner must approve it on the spot',
  'download-disabled': 'the role does not allow downloads',
  'scheme-blocked': 'this kind of address (not a web page) is never opened in a store',
  'invalid-url': 'the address cannot be read',
  'no-assignment': 'the staff member is not assigned to this store',
  'assignment-not-started': 'the assignment has not started yet',
  'assignment-expired': 'the assignment has ended',
  'staff-disabled': 'the staff member is disabled',
  'unknown-store': 'the store does not exist',
  error: 'the policy for this person could not be built, so everything is blocked until the owner fixes it (see policy problems)',
};

/** The rule tester's sentence (F13): what was decided, by what, and why. */
export function explainDecision(decision: Decision, method: string, url: string): string {
  const verdict = decision.allowed ? 'Allowed' : 'Blocked';
  const parts = [`${verdict}: ${method.toUpperCase()} ${url} — ${REASONS[decision.reason]}.`];
  if (decision.module) parts.push(`Module: ${decision.module}${decision.level ? ` (level ${decision.level})` : ''}.`);
  if (decision.ruleId?.startsWith('module:') === false && decision.ruleId !== 'baseline') parts.push(`Deciding rule: ${decision.ruleId}.`);
  if (decision.filter) parts.push(`Matching filter: ${decision.filter}.`);
  return parts.join(' ');
}
