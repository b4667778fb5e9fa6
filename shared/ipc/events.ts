import { z } from 'zod';
import { Id } from '../model/common';
import { StepUpRequest } from './contract';
import { AlertInfo } from './trust';

/**
 * What the main process pushes to the console without being asked (Electron: webContents.send
 * on one channel; system-browser host: server-sent events). One schema for both hosts.
 */
export const AppEvent = z.discriminatedUnion('type', [
  /** Roles, assignments, stores or staff changed: lists on screen may be stale. */
  z.object({ type: z.literal('policy-changed') }),
  /** A store page needs the owner's approval (F17). */
  z.object({ type: z.literal('step-up-needed'), request: StepUpRequest }),
  /** A store session of this console's user was closed by the app (expiry, disabled, deleted). */
  z.object({ type: z.literal('store-closed'), storeId: Id, reason: z.enum(['expired', 'revoked', 'disabled', 'role-changed', 'deleted', 'closed']) }),
  /** Where the front page of an open store is now (after each navigation), for the console's address bar. */
  z.object({
    type: z.literal('store-location'),
    storeId: Id,
    url: z.string().max(8192),
    title: z.string().max(1024),
    canGoBack: z.boolean(),
    canGoForward: z.boolean(),
  }),
  /**
   * This console's user is working in one of their store windows (typing, clicking, scrolling
   * there): the console's idle lock counts it as input. At most one per STORE_ACTIVITY_EVERY_MS.
   */
  z.object({ type: z.literal('store-activity') }),
  /** A log export of this console's user is under way: rows written so far, of `total`. */
  z.object({ type: z.literal('log-export-progress'), rows: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
  /** An alert rule fired (F24); sent to the owner's consoles. */
  z.object({ type: z.literal('alert-raised'), alert: AlertInfo }),
  /** This console's user was signed out (disabled by the owner, password reset). */
  z.object({ type: z.literal('signed-out'), reason: z.enum(['disabled', 'password-reset', 'logout']) }),
]);
export type AppEvent = z.infer<typeof AppEvent>;

/** How often, at most, a person's work in store windows is passed on to their consoles. */
export const STORE_ACTIVITY_EVERY_MS = 15_000;

/** The single IPC / SSE channel name events travel on. */
export const EVENT_CHANNEL = 'shopwarden:event';
