-- The evidence of each campaign credential, as the worker's secret-rotated gives it: the version replaced, the new
-- version, and when the worker verified the new value (its rotatedAt: it commits only after a login with it).
-- A retry pass (POST /breaches/{id}/retry) gives each failed row a new rotation id and records who asked for it.
ALTER TABLE breach_credentials
    ADD COLUMN previous_version bigint,
    ADD COLUMN verified_at      timestamptz,
    ADD COLUMN retried_by       text,
    ADD COLUMN retried_at       timestamptz;

CREATE TABLE breach_retries (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    breach_id  uuid        NOT NULL REFERENCES breaches (id),
    retried_by text        NOT NULL,
    retried_at timestamptz NOT NULL,
    -- how many failed credentials the pass rotates again
    count      integer     NOT NULL CHECK (count > 0)
);

CREATE INDEX breach_retries_breach_idx ON breach_retries (breach_id, retried_at);
