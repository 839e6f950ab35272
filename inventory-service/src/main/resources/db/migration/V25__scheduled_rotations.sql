-- Rotations the policy scheduler requested: one per credential and due period. The period is the rotation it
-- follows (last_rotated_at, '-infinity' for a credential rekey never rotated), so the primary key makes the
-- scheduler emit exactly once per period whatever the number of instances and restarts: a claim that conflicts
-- emits nothing. A row counts as in flight while the credential's last_rotated_at is still its period and the
-- credential has not failed (the worker's results update the credential); the pacing bound counts those.
CREATE TABLE scheduled_rotations (
    credential_id text        NOT NULL,
    period_start  timestamptz NOT NULL,
    rotation_id   uuid        NOT NULL UNIQUE,
    scheduled_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (credential_id, period_start)
);

CREATE INDEX scheduled_rotations_scheduled_at_idx ON scheduled_rotations (scheduled_at);
