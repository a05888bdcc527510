-- Ends are final [L-FINAL]. Every end-everything (password change, revoke-others, admin
-- revocation) bumps the user's session generation; a sign-in stores its session only if the
-- generation it proved the password against is still current.
ALTER TABLE "users" ADD COLUMN "session_generation" INTEGER NOT NULL DEFAULT 0;

-- A remember-me series is ended, not deleted, so that a replay of any of its validators learns
-- why (theft, revoked, ...) until the series would have expired anyway [R-THEFT, R-LIFE].
ALTER TABLE "remember_tokens"
    ADD COLUMN "ended_at" TIMESTAMPTZ(3),
    ADD COLUMN "end_reason" "session_end_reason",
    -- Every validator replaced before the previous one; any of them replayed is theft [R-THEFT].
    ADD COLUMN "retired_validator_hashes" VARCHAR(64)[] NOT NULL DEFAULT '{}',
    -- The absolute end of the series, whatever its use [R-LIFE].
    ADD COLUMN "max_expires_at" TIMESTAMPTZ(3),
    -- The device at sign-in: a restore from another network and browser is refused [R-ONE, A-SUSPECT].
    ADD COLUMN "fingerprint_network" VARCHAR(64) NOT NULL DEFAULT 'unknown',
    ADD COLUMN "fingerprint_browser" VARCHAR(64) NOT NULL DEFAULT 'unknown',
    -- For the devices page when the device has no live session.
    ADD COLUMN "user_agent" TEXT,
    ADD COLUMN "ip" TEXT,
    ADD COLUMN "last_used_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
UPDATE "remember_tokens" SET "max_expires_at" = "created_at" + INTERVAL '90 days';
ALTER TABLE "remember_tokens" ALTER COLUMN "max_expires_at" SET NOT NULL;

ALTER TYPE "security_event_type" ADD VALUE 'role_changed';
ALTER TYPE "security_event_type" ADD VALUE 'sign_in_throttled';

-- A rotation (step-up, password change, privilege change) moves a session to a new ID and leaves a
-- move behind for a while, so that an end sent with the old ID meanwhile (a logout racing a step-up
-- of the same browser, a revoke from a list loaded before) still ends it [L-FINAL]. A move is never
-- followed to load a session: the old ID itself is dead [S-FIXATION].
CREATE TABLE "session_moves" (
    "sid" VARCHAR NOT NULL,
    "moved_to" VARCHAR NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "session_moves_pkey" PRIMARY KEY ("sid")
);
CREATE INDEX "session_moves_expires_at_idx" ON "session_moves"("expires_at");

-- The admins' security feed [A-ADMIN, A-SUSPECT]: events that an administrator should see across
-- users (suspected hijacking, theft, accounts under a guessing attack, admin actions), newest first.
ALTER TABLE "security_events" ADD COLUMN "admin_feed" BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX "security_events_admin_feed_created_at_id_idx" ON "security_events"("admin_feed", "created_at" DESC, "id" DESC);
