-- Second factors [M-TOTP, M-RECOVERY, M-SIGNIN]: an authenticator-app secret (AES-256-GCM under
-- MFA_ENCRYPTION_KEY, never in clear), keyed hashes of recovery codes, and pending sign-ins (a
-- proved password still owing its second factor), stored by the hash of their cookie's token.
ALTER TYPE "security_event_type" ADD VALUE 'mfa_enabled';
ALTER TYPE "security_event_type" ADD VALUE 'mfa_disabled';
ALTER TYPE "security_event_type" ADD VALUE 'recovery_codes_regenerated';
ALTER TYPE "security_event_type" ADD VALUE 'recovery_code_used';
ALTER TYPE "security_event_type" ADD VALUE 'mfa_failed';
ALTER TYPE "security_event_type" ADD VALUE 'passkey_added';
ALTER TYPE "security_event_type" ADD VALUE 'passkey_removed';

CREATE TABLE "totp_factors" (
    "user_id" UUID NOT NULL,
    "secret_encrypted" TEXT NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3),
    -- The last accepted time step: a code of that step or an earlier one is refused [M-TOTP].
    "last_used_step" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "totp_factors_pkey" PRIMARY KEY ("user_id"),
    CONSTRAINT "totp_factors_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "recovery_codes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "code_hash" VARCHAR(64) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recovery_codes_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "recovery_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "recovery_codes_user_id_code_hash_key" ON "recovery_codes"("user_id", "code_hash");

CREATE TABLE "pending_sign_ins" (
    "id_hash" VARCHAR(64) NOT NULL,
    "user_id" UUID NOT NULL,
    "session_generation" INTEGER NOT NULL,
    "remember_me" BOOLEAN NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "pending_sign_ins_pkey" PRIMARY KEY ("id_hash"),
    CONSTRAINT "pending_sign_ins_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "pending_sign_ins_user_id_idx" ON "pending_sign_ins"("user_id");
CREATE INDEX "pending_sign_ins_expires_at_idx" ON "pending_sign_ins"("expires_at");
