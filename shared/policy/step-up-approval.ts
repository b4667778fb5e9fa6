// When a request blocked for step-up asks the owner for approval: one rule for both hosts.
import { SAFE_METHODS } from '../model/common';
import type { ResourceType } from '../model/decision';

/**
 * Step-up pages reached by a navigation or a change (a form post, an XHR POST) ask the owner;
 * a background read of such a URL is only blocked, so it cannot flood the approval desk.
 */
export function asksOwnerForApproval(request: { resourceType: ResourceType; method: string }): boolean {
  return request.resourceType === 'mainFrame' || request.resourceType === 'subFrame' || !SAFE_METHODS.has(request.method.toUpperCase());
}
