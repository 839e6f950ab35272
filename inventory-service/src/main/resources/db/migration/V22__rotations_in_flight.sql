-- One rotation at a time per credential. Whoever starts a rotation (a breach campaign, a retry, a manual rotation)
-- claims the credential here first; the primary key decides races between concurrent requests. A campaign that
-- finds its credential already claimed emits nothing for it: its row follows the rotation in flight
-- (follows_rotation_id), and that rotation's result updates every row that follows it. The claim is released when
-- the rotation's final result (secret-rotated, or rotation-failed with final=true) is applied.
CREATE TABLE rotations_in_flight (
    credential_id text PRIMARY KEY REFERENCES credentials (id) ON DELETE CASCADE,
    rotation_id   uuid        NOT NULL UNIQUE,
    cause         text        NOT NULL CHECK (cause IN ('BREACH', 'MANUAL', 'SCHEDULED')),
    requested_at  timestamptz NOT NULL
);

ALTER TABLE breach_credentials ADD COLUMN follows_rotation_id uuid;

CREATE INDEX breach_credentials_follows_idx ON breach_credentials (follows_rotation_id)
    WHERE follows_rotation_id IS NOT NULL;

-- the rotations that running campaigns wait for today (the oldest, where two campaigns rotate one credential)
INSERT INTO rotations_in_flight (credential_id, rotation_id, cause, requested_at)
SELECT DISTINCT ON (bc.credential_id) bc.credential_id, bc.rotation_id, 'BREACH', bc.updated_at
FROM breach_credentials bc JOIN credentials c ON c.id = bc.credential_id
WHERE bc.status IN ('PENDING', 'RETRYING')
ORDER BY bc.credential_id, bc.updated_at;
