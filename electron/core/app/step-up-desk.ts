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
    const existing = this.waitingFor(input);
    if (existing) return { request: existing, isNew: false };
    const request: StepUpRequest = { ...input, id: this.newId(), at: this.clock() };
    this.pending.set(request.id, request);
    return { request, isNew: true };
  }

  forUser(userId: string): StepUpRequest[] {
    this.expire();
    return [...this.pending.values()].filter((r) => r.userId === userId);
  }

  take(id: string): StepUpRequest | null {
    const request = this.get(id);
    this.pending.delete(id);
    return request;
  }

  get(id: string): StepUpRequest | null {
    this.expire();
    return this.pending.get(id) ?? null;
  }

  /**
   * A taken request waits again (the owner's password was wrong). Not when its time is up, nor
   * when the same page asked again meanwhile: that newer request waits instead.
   */
  putBack(request: StepUpRequest): void {
    this.expire();
    if (request.at < this.cutoff() || this.waitingFor(request)) return;
    this.pending.set(request.id, request);
  }

  /** The request waiting for the same page, store and person. */
  private waitingFor(page: Pick<StepUpRequest, 'storeId' | 'userId' | 'filter'>): StepUpRequest | undefined {
    for (const r of this.pending.values()) if (r.storeId === page.storeId && r.userId === page.userId && r.filter === page.filter) return r;
    return undefined;
  }

  private cutoff(): number {
    return this.clock() - PENDING_FOR_MS;
  }

  private expire(): void {
    const cutoff = this.cutoff();
    for (const [id, r] of this.pending) if (r.at < cutoff) this.pending.delete(id);
  }
}
