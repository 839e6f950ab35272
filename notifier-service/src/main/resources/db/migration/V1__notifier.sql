-- The notifier's own state: who a breach concerns, what happened to each rotation, and the durable log of mail.

-- One row per owner concerned by a breach, from rekey.breach-reported.
CREATE TABLE campaign_owners (
    breach_id      uuid        NOT NULL,
    owner_id       text        NOT NULL,
    email          text        NOT NULL,
    title          text        NOT NULL,
    expected_count integer     NOT NULL CHECK (expected_count >= 0),
    reported_at    timestamptz NOT NULL,
    PRIMARY KEY (breach_id, owner_id)
);

-- One row per finished breach rotation. Outcomes may arrive before the breach-reported event (other topics), so a
-- campaign's progress is always counted from these rows, never kept in a counter.
CREATE TABLE rotation_outcomes (
    rotation_id          uuid        PRIMARY KEY,
    breach_id            uuid        NOT NULL,
    owner_id             text        NOT NULL,
    credential_id        text        NOT NULL,
    outcome              text        NOT NULL CHECK (outcome IN ('ROTATED', 'FAILED')),
    version              bigint,      -- the new KV v2 version, when ROTATED
    vault_path           text,        -- mount/path of the secret, when ROTATED
    failed_step          text,        -- protocol step, when FAILED
    reason               text,        -- why it failed, when FAILED (never a secret)
    old_credential_valid boolean     NOT NULL,
    occurred_at          timestamptz NOT NULL
);
CREATE INDEX rotation_outcomes_by_campaign ON rotation_outcomes (breach_id, owner_id);

-- The durable delivery log: a mail is written here in the same transaction as the event that causes it, and a
-- sender delivers it later. UNIQUE(breach_id, owner_id, kind) is what makes "one mail" hold under redelivery.
CREATE TABLE deliveries (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    breach_id       uuid        NOT NULL,
    owner_id        text        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('BREACH_REPORTED', 'BREACH_SUMMARY')),
    recipient       text        NOT NULL,
    subject         text        NOT NULL,
    body            text        NOT NULL,
    status          text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT deliveries_one_per_kind UNIQUE (breach_id, owner_id, kind)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'PENDING';
