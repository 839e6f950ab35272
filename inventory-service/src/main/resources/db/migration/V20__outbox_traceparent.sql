-- The W3C traceparent of the transaction that wrote an outbox row (a breach report's HTTP request), so that the
-- relay can send the row as part of that trace. Null when tracing is off.
ALTER TABLE outbox ADD COLUMN traceparent text;
