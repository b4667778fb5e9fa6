import { SAFE_METHODS } from '../../../shared/model/common';
import type { AuditEventInput } from '../../../shared/model/audit';
import type { Decision, GuardRequest } from '../../../shared/model/decision';

const NAVIGATIONS = new Set<GuardRequest['resourceType']>(['mainFrame', 'subFrame']);

/**
 * Which guard decisions become log rows (F19): every block, every download, every allowed
 * navigation and every allowed mutation. Allowed sub-resource reads (images, scripts, GET XHR)
 * are not logged: they are the bulk of the traffic and say nothing about what a person did.
 */
export function guardLogEvent(request: GuardRequest, decision: Decision, ts: number): AuditEventInput | null {
  const method = String(request.method).toUpperCase().slice(0, 16);
  const kind = !decision.allowed
    ? 'block'
    : request.resourceType === 'download'
      ? 'download'
      : !SAFE_METHODS.has(method)
        ? 'mutation'
        : NAVIGATIONS.has(request.resourceType)
          ? 'navigation'
          : null;
  if (kind === null) return null;
  return {
    ts,
    kind,
    actorId: request.userId,
    storeId: request.storeId,
    url: String(request.url).slice(0, 8192),
    method,
    module: decision.module,
    decision: decision.allowed ? 'allowed' : 'blocked',
    reason: decision.reason,
    ruleId: decision.ruleId?.slice(0, 200) ?? null,
    detail: {
      resourceType: request.resourceType,
      ...(decision.filter ? { filter: decision.filter } : {}),
      ...(decision.level ? { level: decision.level } : {}),
      // Why //payments was blocked as payments: the owner reads the path that decided.
      ...(decision.servedPath !== undefined ? { servedPath: decision.servedPath } : {}),
    },
  };
}
