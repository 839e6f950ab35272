-- A campaign credential whose rotation failed an attempt that the worker will try again (rotation-failed with
-- final=false) is RETRYING, with the reason and the attempts so far; PENDING means no attempt has failed yet.
ALTER TABLE breach_credentials
    DROP CONSTRAINT breach_credentials_status_check,
    ADD CONSTRAINT breach_credentials_status_check
        CHECK (status IN ('PENDING', 'RETRYING', 'ROTATED', 'FAILED'));

UPDATE breach_credentials SET status = 'RETRYING' WHERE status = 'PENDING' AND attempts > 0;

-- "is a running campaign still rotating this credential": both unfinished states
DROP INDEX breach_credentials_pending_idx;
CREATE INDEX breach_credentials_unfinished_idx ON breach_credentials (credential_id)
    WHERE status IN ('PENDING', 'RETRYING');
