-- Remember-me series [R-SPLIT]: selector in clear, validators only as SHA-256 hashes.
CREATE TABLE "remember_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "selector" VARCHAR(32) NOT NULL,
    "validator_hash" VARCHAR(64) NOT NULL,
    "previous_validator_hash" VARCHAR(64),
    "rotation_nonce" VARCHAR(32),
    "rotated_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "remember_tokens_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "remember_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "remember_tokens_selector_key" ON "remember_tokens"("selector");
CREATE INDEX "remember_tokens_user_id_idx" ON "remember_tokens"("user_id");
CREATE INDEX "remember_tokens_expires_at_idx" ON "remember_tokens"("expires_at");

-- The series a session belongs to, so theft and revocation end that device's sessions by index.
ALTER TABLE "session" ADD COLUMN "remember_series_id" UUID GENERATED ALWAYS AS ((("sess" ->> 'rememberSeriesId'))::uuid) STORED;
CREATE INDEX "session_remember_series_id_idx" ON "session"("remember_series_id");
