-- Per-key order across relay instances. Every outbox row falls into one of 64 buckets by its record key (the key
-- Kafka partitions by); a relay drains only the buckets whose transaction-scoped advisory lock it holds, so one key's
-- rows are only ever sent by one relay at a time. Within a bucket rows go out in seq order: the order they were
-- inserted in (created_at can tie within a transaction, and the id is random). The bucket count is part of the
-- contract between running instances: change it only with every relay stopped.
ALTER TABLE outbox
    ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY,
    ADD COLUMN bucket smallint GENERATED ALWAYS AS
        ((hashtext(coalesce(record_key, aggregateid)) & 2147483647) % 64) STORED;

CREATE INDEX outbox_bucket_seq_idx ON outbox (bucket, seq);
CREATE INDEX outbox_seq_idx ON outbox (seq);
