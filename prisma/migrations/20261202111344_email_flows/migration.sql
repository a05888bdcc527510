-- Account recovery and email [E-RESET, E-VERIFY, E-NOTIFY]: one-time emailed tokens, verified
-- addresses, and the event types of these flows.
ALTER TYPE "security_event_type" ADD VALUE 'password_reset_requested';
ALTER TYPE "security_event_type" ADD VALUE 'password_reset';
ALTER TYPE "security_event_type" ADD VALUE 'email_change_requested';
ALTER TYPE "security_event_type" ADD VALUE 'email_verified';
ALTER TYPE "security_event_type" ADD VALUE 'new_device_alert';
ALTER TYPE "security_event_type" ADD VALUE 'new_device_disowned';

-- Nobody's address is verified until they use a link sent to it [E-VERIFY, A-ADMIN].
ALTER TABLE "users" ADD COLUMN "email_verified" BOOLEAN NOT NULL DEFAULT false;

CREATE TYPE "email_token_purpose" AS ENUM ('password_reset', 'verify_email', 'not_me');

-- A link's token is selector + validator, like remember-me [R-SPLIT]: the selector finds the row,
-- only a SHA-256 of the validator is stored, so a copy of this table opens nothing [S-AT-REST].
CREATE TABLE "email_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "purpose" "email_token_purpose" NOT NULL,
    "selector" VARCHAR(32) NOT NULL,
    "validator_hash" VARCHAR(64) NOT NULL,
    -- A reset link is dead once the password changes any other way: it names the password it replaces.
    "password_changed_at" TIMESTAMPTZ(3),
    -- The address a verification link confirms (the new one, for an email change).
    "email" TEXT,
    -- The session a "This wasn't me" link ends (its stored hash).
    "session_sid" VARCHAR,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_tokens_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "email_tokens_selector_key" ON "email_tokens"("selector");
CREATE INDEX "email_tokens_user_id_idx" ON "email_tokens"("user_id");
CREATE INDEX "email_tokens_expires_at_idx" ON "email_tokens"("expires_at");
ALTER TABLE "email_tokens" ADD CONSTRAINT "email_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- [E-NOTIFY] "Have we seen this device?": a sign-in event names its device (browser family and
-- network prefix); this index answers it for one user without reading their other events.
ALTER TABLE "security_events" ADD COLUMN "device" VARCHAR(160);
CREATE INDEX "security_events_user_id_device_created_at_idx" ON "security_events"("user_id", "device", "created_at");
