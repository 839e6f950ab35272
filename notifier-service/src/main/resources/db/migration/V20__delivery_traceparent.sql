-- The W3C traceparent of the event that enqueued a delivery (the breach report for an alert, the owner's last result
-- for a digest, the failure for an urgent alert), so that the send is a span of the campaign's trace although it
-- happens later. Null when tracing is off.
ALTER TABLE deliveries ADD COLUMN traceparent text;
