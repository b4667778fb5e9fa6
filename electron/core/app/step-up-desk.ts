import type { StepUpRequest } from '../../../shared/ipc/contract';
import type { Clock } from '../db/clock';

/** How long an unanswered step-up request waits for the owner. */
const PENDING_FOR_MS = 30 * 60_000;

/**
 * Step-up pages a staff member hit and that wait for the owner's approval (F17). Kept in memory:
 * a request is only meaningful while the person is at the screen; grants live in the policy.
 */
export class StepUpDesk {
  private readonly pending = new Map<string, StepUpRequest>();

  constructor(
    private readonly clock: Clock,
    private readonly newId: () => string,
  ) {}

  /** The same page asked again while waiting gives the same request, so dialogs do not pile up. */
  request(input: Pick<StepUpRequest, 'storeId' | 'userId' | 'url' | 'filter'>): { request: StepUpRequest; isNew: boolean } {
    this.expire();
    for (const existing of this.pending.values()) {
      if (existing.storeId === input.storeId && existing.userId === input.userId && existing.filter === input.filter) return { request: existing, isNew: false };
    }
    const request: StepUpRequest = { ...input, id: this.newId(), at: this.clock() };
    this.pending.set(request.id, request);
    return { request, isNew: true };
  }

  forUser(userId: string): StepUpRequest[] {
    this.expire();
    return [...this.pending.values()].filter((r) => r.userId === userId);
  }

  take(id: string): StepUpRequest | null {
    const request = this.pending.get(id) ?? null;
    this.pending.delete(id);
    return request;
  }

  get(id: string): StepUpRequest | null {
    return this.pending.get(id) ?? null;
  }

  private expire(): void {
    const cutoff = this.clock() - PENDING_FOR_MS;
    for (const [id, r] of this.pending) if (r.at < cutoff) this.pending.delete(id);
  }
}
