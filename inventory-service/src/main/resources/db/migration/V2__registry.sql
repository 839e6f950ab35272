-- The complete registry: owner channels as Vault paths, unowned (discovered) credentials, one credential per
-- downstream account, the alternating strategy's second user, system settings, outbox record keys and tombstones,
-- and the append-only audit log.

-- Owner channels: Vault paths of the secrets, never the secrets. The old columns held webhook URLs that embed
-- tokens; they cannot be turned into paths, so they are dropped (owners set their channels again).
ALTER TABLE owners
    DROP COLUMN slack_webhook,
    DROP COLUMN webhook,
    ADD COLUMN slack_webhook_secret_path   text,
    ADD COLUMN webhook_url                 text,
    ADD COLUMN webhook_signing_secret_path text,
    ADD CONSTRAINT owners_webhook_complete
        CHECK ((webhook_url IS NULL) = (webhook_signing_secret_path IS NULL));

-- What only some target types need (TargetSettings of the events contract), as JSON.
ALTER TABLE systems
    ADD COLUMN settings jsonb NOT NULL DEFAULT '{}';

-- Discovery registers secrets nobody has claimed yet: no owner, no known user until an admin completes them.
ALTER TABLE credentials
    ALTER COLUMN owner_id DROP NOT NULL,
    ALTER COLUMN username DROP NOT NULL,
    ADD COLUMN alternate_username text,
    ADD CONSTRAINT credentials_status_known
        CHECK (status IN ('ACTIVE', 'ROTATING', 'ROTATION_FAILED', 'UNOWNED')),
    ADD CONSTRAINT credentials_owned_unless_unowned
        CHECK (status = 'UNOWNED' OR (owner_id IS NOT NULL AND username IS NOT NULL)),
    ADD CONSTRAINT credentials_alternate_differs
        CHECK (alternate_username IS NULL OR alternate_username <> username);

-- One credential per downstream account. An account is (system, user), and a credential holds one user, or two
-- with the alternating strategy; a unique constraint cannot span two columns of different rows, so the accounts
-- get a table of their own, kept by triggers (one INSERT per statement for inserts, also for a bulk import).
CREATE TABLE downstream_accounts (
    system_id     text NOT NULL,
    username      text NOT NULL,
    credential_id text NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    CONSTRAINT downstream_accounts_unique PRIMARY KEY (system_id, username)
);

CREATE INDEX downstream_accounts_credential_idx ON downstream_accounts (credential_id);

CREATE FUNCTION downstream_accounts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO downstream_accounts (system_id, username, credential_id)
    SELECT system_id, username, id FROM new_credentials WHERE username IS NOT NULL
    UNION ALL
    SELECT system_id, alternate_username, id FROM new_credentials WHERE alternate_username IS NOT NULL;
    RETURN NULL;
END $$;

CREATE FUNCTION downstream_accounts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM downstream_accounts WHERE credential_id = OLD.id;
    INSERT INTO downstream_accounts (system_id, username, credential_id)
    SELECT NEW.system_id, u, NEW.id FROM unnest(ARRAY[NEW.username, NEW.alternate_username]) AS u WHERE u IS NOT NULL;
    RETURN NULL;
END $$;

CREATE TRIGGER credentials_accounts_insert AFTER INSERT ON credentials
    REFERENCING NEW TABLE AS new_credentials
    FOR EACH STATEMENT EXECUTE FUNCTION downstream_accounts_insert();
-- per row, and only when the account changes: a status or version change (every rotation result) costs nothing
CREATE TRIGGER credentials_accounts_update AFTER UPDATE OF system_id, username, alternate_username ON credentials
    FOR EACH ROW
    WHEN ((OLD.system_id, OLD.username, OLD.alternate_username)
        IS DISTINCT FROM (NEW.system_id, NEW.username, NEW.alternate_username))
    EXECUTE FUNCTION downstream_accounts_update();
-- deleted credentials release their accounts through the foreign key's ON DELETE CASCADE

INSERT INTO downstream_accounts (system_id, username, credential_id)
SELECT system_id, username, id FROM credentials WHERE username IS NOT NULL;

-- A campaign row is evidence: it outlives the credential it rotated (a deleted credential keeps its history).
-- Deleting a credential that a running campaign still rotates is refused by the service.
ALTER TABLE breach_credentials
    DROP CONSTRAINT breach_credentials_credential_id_fkey,
    ALTER COLUMN owner_id DROP NOT NULL;

CREATE INDEX breach_credentials_pending_idx ON breach_credentials (credential_id) WHERE status = 'PENDING';

CREATE INDEX credentials_status_idx ON credentials (status);

-- The record key is no longer always the aggregate id (rotation-due is keyed by system id); a null payload is a
-- tombstone (an owner deleted from the compacted rekey.owners).
ALTER TABLE outbox
    ADD COLUMN record_key text,
    ALTER COLUMN payload DROP NOT NULL;

-- Who did what to which object, when, under which request id; written in the transaction of the change. Never a
-- secret: the changed fields are named, their values are not.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor       text        NOT NULL,
    actor_roles text[]      NOT NULL DEFAULT '{}',
    action      text        NOT NULL,
    object_type text        NOT NULL,
    object_id   text,
    request_id  text        NOT NULL,
    fields      text[]      NOT NULL DEFAULT '{}',
    detail      text
);

CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor);

-- Append-only in the database too, whoever connects (the table owner included, unlike privileges): UPDATE, DELETE
-- and TRUNCATE fail. Only someone who may drop the trigger can change history, and that is a schema change.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
