-- Sessions: the connect-pg-simple table, keyed by the SHA-256 of the session ID [S-AT-REST].
CREATE TABLE "session" (
    "sid" VARCHAR NOT NULL,
    "sess" JSON NOT NULL,
    "expire" TIMESTAMPTZ(6) NOT NULL,
    -- Derived by PostgreSQL from the store's own write, so listing a user's sessions is an
    -- index lookup [D-LIST] and deleting a user deletes their sessions.
    "user_id" UUID GENERATED ALWAYS AS ((("sess" ->> 'userId'))::uuid) STORED,

    CONSTRAINT "session_pkey" PRIMARY KEY ("sid"),
    CONSTRAINT "session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
);
CREATE INDEX "IDX_session_expire" ON "session"("expire");
CREATE INDEX "session_user_id_idx" ON "session"("user_id");

CREATE TYPE "session_end_reason" AS ENUM ('signed_out', 'revoked', 'idle_timeout', 'absolute_timeout', 'password_changed', 'suspicious', 'evicted', 'theft');

CREATE TABLE "session_tombstones" (
    "sid" VARCHAR NOT NULL,
    "reason" "session_end_reason" NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "session_tombstones_pkey" PRIMARY KEY ("sid")
);
CREATE INDEX "session_tombstones_expires_at_idx" ON "session_tombstones"("expires_at");

CREATE TYPE "security_event_type" AS ENUM ('sign_in', 'sign_in_failed', 'sign_out', 'step_up', 'session_revoked', 'password_changed', 'email_changed', 'remember_me_used', 'remember_me_theft', 'suspicious_session_ended', 'session_limit_evicted');

CREATE TABLE "security_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "type" "security_event_type" NOT NULL,
    "ip" TEXT,
    "user_agent" TEXT,
    "details" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "security_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "security_events_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "security_events_user_id_created_at_id_idx" ON "security_events"("user_id", "created_at" DESC, "id");

-- rate-limiter-flexible's RateLimiterPostgres table, created here so Prisma sees no drift.
CREATE TABLE "login_throttle" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("key")
);
