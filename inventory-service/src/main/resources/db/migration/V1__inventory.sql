-- The inventory: who owns what, where each secret lives, which system it opens; breach campaigns and their
-- per-credential progress; the transactional outbox; the ids of result events already applied.

CREATE TABLE owners (
    id            text PRIMARY KEY,
    name          text        NOT NULL,
    email         text        NOT NULL,
    slack_webhook text,
    webhook       text,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE systems (
    id                       text PRIMARY KEY,
    type                     text        NOT NULL
        CHECK (type IN ('postgresql', 'mariadb', 'redis', 'rabbitmq', 'http', 'vault-kv')),
    host                     text        NOT NULL,
    port                     integer     NOT NULL CHECK (port BETWEEN 1 AND 65535),
    database                 text,
    admin_secret_path        text        NOT NULL,
    max_concurrent_rotations integer     NOT NULL DEFAULT 4 CHECK (max_concurrent_rotations >= 1),
    tags                     text[]      NOT NULL DEFAULT '{}',
    created_at               timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE credentials (
    id                  text PRIMARY KEY,
    name                text        NOT NULL,
    kind                text        NOT NULL,
    vault_mount         text        NOT NULL,
    vault_path          text        NOT NULL,
    username            text        NOT NULL,
    system_id           text        NOT NULL REFERENCES systems (id),
    owner_id            text        NOT NULL REFERENCES owners (id),
    tags                text[]      NOT NULL DEFAULT '{}',
    exposed_via         text[]      NOT NULL DEFAULT '{}',
    grants_access_to    text[]      NOT NULL DEFAULT '{}',
    policy_max_age_days integer     NOT NULL DEFAULT 90 CHECK (policy_max_age_days >= 1),
    policy_generator    text        NOT NULL DEFAULT 'password:32',
    policy_strategy     text        NOT NULL DEFAULT 'in-place',
    last_rotated_at     timestamptz,
    -- the KV v2 version of the current value as last reported by the worker; 0 until rekey rotates it
    version             bigint      NOT NULL DEFAULT 0,
    status              text        NOT NULL DEFAULT 'ACTIVE',
    created_at          timestamptz NOT NULL DEFAULT now(),
    -- two credentials on one secret would be rotated over each other
    CONSTRAINT credentials_vault_secret_unique UNIQUE (vault_mount, vault_path)
);

-- blast-radius clauses and list filters
CREATE INDEX credentials_system_idx ON credentials (system_id);
CREATE INDEX credentials_owner_idx ON credentials (owner_id);
CREATE INDEX credentials_tags_idx ON credentials USING gin (tags);
CREATE INDEX credentials_exposed_via_idx ON credentials USING gin (exposed_via);

CREATE TABLE breaches (
    id           uuid PRIMARY KEY,
    title        text        NOT NULL,
    reason       text,
    selector     jsonb       NOT NULL,
    reported_by  text        NOT NULL,
    reported_at  timestamptz NOT NULL,
    completed_at timestamptz,
    total        integer     NOT NULL
);

CREATE INDEX breaches_reported_at_idx ON breaches (reported_at DESC);
-- campaigns still running, for the periodic completion check
CREATE INDEX breaches_open_idx ON breaches (id) WHERE completed_at IS NULL;

CREATE TABLE breach_credentials (
    -- the rotation id is the idempotency key of the worker and the correlation id of its result events
    rotation_id   uuid PRIMARY KEY,
    breach_id     uuid        NOT NULL REFERENCES breaches (id),
    credential_id text        NOT NULL REFERENCES credentials (id),
    owner_id      text        NOT NULL,
    status        text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'ROTATED', 'FAILED')),
    version       bigint,
    reason        text,
    attempts      integer     NOT NULL DEFAULT 0,
    updated_at    timestamptz NOT NULL,
    CONSTRAINT breach_credentials_once_per_breach UNIQUE (breach_id, credential_id)
);

-- progress counts per breach and the ?status= filter
CREATE INDEX breach_credentials_breach_status_idx ON breach_credentials (breach_id, status);

-- Debezium's outbox shape plus the destination topic; rows live until the broker acknowledged them
CREATE TABLE outbox (
    id            uuid PRIMARY KEY,
    aggregatetype text        NOT NULL,
    aggregateid   text        NOT NULL,
    type          text        NOT NULL,
    topic         text        NOT NULL,
    payload       text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX outbox_created_at_idx ON outbox (created_at);

-- CloudEvents ids of result events already applied, written in the same transaction as their effect
CREATE TABLE processed_events (
    event_id     text PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);
