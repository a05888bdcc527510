export type Role = 'user' | 'admin';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface CurrentSession {
  id: string;
  authenticatedAt: string;
  reauthenticatedAt: string | null;
  /** Null when no step-up window is open. */
  stepUpExpiresAt: string | null;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
  remembered: boolean;
}

export interface MeResponse {
  user: User;
  session: CurrentSession;
}

export interface UserResponse {
  user: User;
}

export type SessionEndReason =
  | 'signed_out'
  | 'revoked'
  | 'idle_timeout'
  | 'absolute_timeout'
  | 'password_changed'
  | 'suspicious'
  | 'evicted'
  | 'theft';

export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'CSRF_INVALID'
  | 'REAUTH_REQUIRED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'EMAIL_TAKEN'
  | 'TOO_MANY_REQUESTS'
  | 'SERVICE_UNAVAILABLE';

export interface FieldError {
  field: string;
  message: string;
}

export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  reason?: SessionEndReason;
  errors?: FieldError[];
}

export interface DeviceSession {
  id: string;
  current: boolean;
  browser: string | null;
  os: string | null;
  deviceType: string | null;
  ip: string | null;
  location: string | null;
  createdAt: string;
  lastActiveAt: string;
  remembered: boolean;
  /**
   * False for a remembered device with no live session right now: its id is the remember-me series id,
   * it signs back in by itself on its next visit, and revoking it ends the remember-me.
   */
  active: boolean;
  /** When the device's remember-me ends (sliding expiry or absolute lifetime, whichever is first). */
  rememberedUntil: string | null;
}

export interface SessionsResponse {
  sessions: DeviceSession[];
}

export interface RevokedResponse {
  revoked: number;
}

export interface SecurityEvent {
  type: string;
  at: string;
  ip: string | null;
  browser: string | null;
  os: string | null;
}

export interface EventsResponse {
  events: SecurityEvent[];
  nextCursor?: string | null;
}

export interface AdminUser extends User {
  activeSessions: number;
}

export interface AdminUsersResponse {
  users: AdminUser[];
}

/** The event types on the admins' security feed (GET /api/admin/security-events). */
export type AdminFeedEventType =
  | 'suspicious_session_ended'
  | 'remember_me_theft'
  | 'sign_in_throttled'
  | 'role_changed'
  | 'session_revoked';

export interface AdminSecurityEvent {
  id: string;
  type: AdminFeedEventType;
  at: string;
  user: Pick<User, 'id' | 'email' | 'name'>;
  ip: string | null;
  browser: string | null;
  os: string | null;
  deviceType: string;
  /** Free-form per type, e.g. `{ role, by }` for role_changed and `{ by, count }` for an admin's revocation. */
  details: unknown;
}

export interface AdminSecurityEventsResponse {
  events: AdminSecurityEvent[];
  nextCursor: string | null;
}
