-- A claim ends with its rotation's final result. A rotation whose request or results are lost for good (a record
-- parked on a dead-letter topic, a topic's retention run out while every worker was down) would hold its
-- credential forever: no campaign could rotate it, every later breach would follow a rotation that never ends.
-- heard_at is when the claim was made or the worker last reported on it (a rotation-failed with final=false, sent on
-- every attempt); a claim not heard of for rekey.campaign.rotation-timeout expires (dev.rekey.inventory.campaign
-- .StaleRotations): expired_at marks it and a final rotation-failed goes through the outbox, so the inventory, the
-- owner and every subscriber learn of it as of any final failure, and only once with several instances.
ALTER TABLE rotations_in_flight
    ADD COLUMN heard_at   timestamptz,
    ADD COLUMN expired_at timestamptz;

UPDATE rotations_in_flight SET heard_at = requested_at;

ALTER TABLE rotations_in_flight
    ALTER COLUMN heard_at SET NOT NULL,
    ALTER COLUMN heard_at SET DEFAULT now();

CREATE INDEX rotations_in_flight_unheard_idx ON rotations_in_flight (heard_at) WHERE expired_at IS NULL;
