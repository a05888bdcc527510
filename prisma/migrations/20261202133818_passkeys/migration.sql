-- Passkeys [M-PASSKEY]: WebAuthn credentials, public keys only (the private key never leaves the
-- authenticator), and the challenges the server handed out, kept here so that the client's copy is
-- never trusted, each is used once, expires, and is bound to the browser state that asked for it.
ALTER TYPE "security_event_type" ADD VALUE 'passkey_counter_regressed';

CREATE TABLE "passkeys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "credential_id" BYTEA NOT NULL,
    -- The COSE public key; nothing that could sign.
    "public_key" BYTEA NOT NULL,
    -- The authenticator's signature counter: one that goes backwards means a cloned key.
    "counter" BIGINT NOT NULL DEFAULT 0,
    "transports" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "name" VARCHAR(64) NOT NULL,
    "device_type" VARCHAR(16) NOT NULL,
    "backed_up" BOOLEAN NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "passkeys_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "passkeys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "passkeys_credential_id_key" ON "passkeys"("credential_id");
CREATE INDEX "passkeys_user_id_idx" ON "passkeys"("user_id");

-- A challenge is found by its value, its purpose and what it is bound to (the SHA-256 of an
-- anonymous browser's cookie token, of the pending sign-in's token, or the session's stored hash),
-- and deleted as it is used.
CREATE TABLE "passkey_challenges" (
    "challenge" VARCHAR(64) NOT NULL,
    "purpose" VARCHAR(16) NOT NULL,
    "bound_to" VARCHAR(64) NOT NULL,
    "user_id" UUID,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "passkey_challenges_pkey" PRIMARY KEY ("challenge"),
    CONSTRAINT "passkey_challenges_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "passkey_challenges_expires_at_idx" ON "passkey_challenges"("expires_at");
