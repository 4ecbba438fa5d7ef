// Signed-in principals held in the process for a few seconds, so that a request with a session
// cookie costs no database statement. It is safe because the database says when one changes:
// triggers on sessions, users, role grants and learners (migration 0030) NOTIFY principal_changed
// with the user's id at commit, and every process drops that user's sessions on hearing it. While
// the process is not listening (before the first LISTEN, after a lost connection) nothing is held.
import type { Principal } from './principal.js';

type UserPrincipal = Extract<Principal, { kind: 'user' }>;

export interface CachedSession {
  principal: UserPrincipal;
  expiresAt: number;
  lastSeenAt: number;
}

interface Entry extends CachedSession {
  heldUntil: number;
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>(); // by token hash, oldest first
  private readonly byUser = new Map<string, Set<string>>();
  private listening = false;
  private changes = 0; // notifications heard: a read begun before one may hold what it changed

  constructor(
    private readonly holdMs = 5_000,
    private readonly max = 10_000,
  ) {}

  /**
   * The session of a token hash, if held and still good at `now`: not past its end, not idle, and
   * its last use recorded within the minute (past that the database is asked, and the use written).
   */
  get(tokenHash: string, now: number, idleMs: number): UserPrincipal | undefined {
    const e = this.entries.get(tokenHash);
    if (!e) return undefined;
    if (e.heldUntil > now && e.expiresAt > now && e.lastSeenAt > now - Math.min(idleMs, 60_000)) return e.principal;
    this.drop(tokenHash);
    return undefined;
  }

  /** A mark to take before reading a session from the database, for `set`. */
  mark(): number {
    return this.changes;
  }

  /** Holds a session read from the database, unless a change was heard since the read began (`mark`). */
  set(tokenHash: string, s: CachedSession, mark: number, now: number): void {
    if (!this.listening || mark !== this.changes) return;
    this.drop(tokenHash);
    if (this.entries.size >= this.max) this.drop(this.entries.keys().next().value!);
    const principal = Object.freeze({ ...s.principal, grants: Object.freeze(s.principal.grants.map((g) => Object.freeze({ ...g }))) });
    this.entries.set(tokenHash, { ...s, principal: principal as UserPrincipal, heldUntil: now + this.holdMs });
    const hashes = this.byUser.get(s.principal.userId) ?? new Set<string>();
    this.byUser.set(s.principal.userId, hashes.add(tokenHash));
  }

  /** A user's name, roles, account or sessions changed: ask the database next time. */
  dropUser(userId: string): void {
    this.changes++;
    for (const h of this.byUser.get(userId) ?? []) this.entries.delete(h);
    this.byUser.delete(userId);
  }

  /** Notifications flow: sessions may be held from now on. */
  start(): void {
    this.listening = true;
  }

  /** Notifications may be missed: hold nothing until `start`. */
  stop(): void {
    this.listening = false;
    this.changes++;
    this.entries.clear();
    this.byUser.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private drop(tokenHash: string): void {
    const e = this.entries.get(tokenHash);
    if (!e) return;
    this.entries.delete(tokenHash);
    const hashes = this.byUser.get(e.principal.userId);
    hashes?.delete(tokenHash);
    if (hashes?.size === 0) this.byUser.delete(e.principal.userId);
  }
}
