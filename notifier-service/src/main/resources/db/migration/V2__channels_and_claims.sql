-- Channels besides email, failure alerts, routine digests, and a delivery log keyed per (event, audience, channel)
-- whose claims belong to a live instance.

-- The notifier's copy of rekey.owners (compacted): one row per owner, deleted by its tombstone. Channel secrets are
-- Vault paths, never values.
CREATE TABLE owners (
    owner_id            text        PRIMARY KEY,
    name                text        NOT NULL,
    email               text        NOT NULL,
    slack_secret_path   text,
    webhook_url         text,
    webhook_secret_path text,
    updated_at          timestamptz NOT NULL DEFAULT now()
);

-- What a login with the value in Vault showed when a breach rotation failed (VALID, INVALID, UNKNOWN); the boolean
-- of V1 could not say "could not check".
ALTER TABLE rotation_outcomes ADD COLUMN old_credential text;
UPDATE rotation_outcomes SET old_credential = CASE WHEN old_credential_valid THEN 'VALID' ELSE 'INVALID' END
    WHERE outcome = 'FAILED';
ALTER TABLE rotation_outcomes DROP COLUMN old_credential_valid;

-- Set in the transaction that enqueues the owner's digest of the breach, so that it is enqueued once.
ALTER TABLE campaign_owners ADD COLUMN digest_enqueued boolean NOT NULL DEFAULT false;
UPDATE campaign_owners c SET digest_enqueued = true
    WHERE EXISTS (SELECT 1 FROM deliveries d WHERE d.breach_id = c.breach_id AND d.owner_id = c.owner_id
                  AND d.kind = 'BREACH_SUMMARY');

-- Outcomes of scheduled and manual rotations, gathered into one digest per owner per period.
CREATE TABLE routine_outcomes (
    rotation_id    uuid        PRIMARY KEY,
    owner_id       text        NOT NULL,
    email          text        NOT NULL,
    credential_id  text        NOT NULL,
    cause          text        NOT NULL CHECK (cause IN ('SCHEDULED', 'MANUAL')),
    outcome        text        NOT NULL CHECK (outcome IN ('ROTATED', 'FAILED')),
    version        bigint,
    vault_path     text,
    failed_step    text,
    reason         text,
    old_credential text,
    occurred_at    timestamptz NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    digest_key     text         -- the digest that reported it; null until then
);
CREATE INDEX routine_outcomes_undigested ON routine_outcomes (owner_id) WHERE digest_key IS NULL;

-- Live notifier instances. A claim on a delivery belongs to an instance; when the instance stops beating, any other
-- instance takes its claims over.
CREATE TABLE notifier_instances (
    id           uuid        PRIMARY KEY,
    description  text        NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now()
);

-- The delivery log, one row per (event, audience, channel): the audience is an owner id or '#incident'. The row id
-- is the message's identity towards the receiver (Message-ID, webhook-id), the same on every attempt.
DROP TABLE deliveries;
CREATE TABLE deliveries (
    id                  uuid        PRIMARY KEY,
    event_key           text        NOT NULL,
    audience            text        NOT NULL,
    channel             text        NOT NULL CHECK (channel IN ('email', 'slack', 'webhook')),
    kind                text        NOT NULL CHECK (kind IN ('breach-alert', 'breach-digest', 'failure-alert',
                                                             'routine-digest')),
    breach_id           uuid,
    destination         text        NOT NULL,  -- the address, the Vault path of the Slack URL, or the webhook URL
    signing_secret_path text,                  -- webhooks: the Vault path of the signing secret
    subject             text        NOT NULL,
    body                text        NOT NULL,  -- plain text (email), or the JSON to POST (slack, webhook)
    html                text,                  -- email only
    event_at            timestamptz NOT NULL,  -- when what it reports happened: the latency metric starts here
    status              text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
    attempts            integer     NOT NULL DEFAULT 0,
    next_attempt_at     timestamptz NOT NULL DEFAULT now(),
    claimed_by          uuid,
    sent_at             timestamptz,
    last_error          text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT deliveries_once UNIQUE (event_key, audience, channel)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX deliveries_by_breach ON deliveries (breach_id, audience, channel) WHERE breach_id IS NOT NULL;
