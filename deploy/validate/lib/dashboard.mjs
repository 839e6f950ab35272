// The Grafana dashboard queries only metrics that exist: the names the services publish (the lead's metric
// contract, repeated here) and those of Strimzi's Kafka Exporter.
import fs from "node:fs";

/** Prometheus names the rekey services publish, as scraped. */
export const SERVICE_METRICS = [
  // rotation-worker
  "rekey_rotations_total", "rekey_rotation_duration_seconds", "rekey_rotations_in_flight", "rekey_rotations_waiting",
  // notifier-service
  "rekey_notifications_total", "rekey_notification_latency_seconds", "rekey_notification_retry_queue",
  // inventory-service
  "rekey_campaign_credentials", "rekey_outbox_pending", "rekey_results_applied_total",
];
/** Series that Micrometer derives from a timer or histogram. */
const TIMERS = { rekey_rotation_duration_seconds: ["_bucket", "_sum", "_count", "_max"], rekey_notification_latency_seconds: ["_sum", "_count", "_max"] };
/** Strimzi's Kafka Exporter (kafka_exporter). */
export const KAFKA_EXPORTER_METRICS = [
  "kafka_brokers", "kafka_topic_partitions", "kafka_topic_partition_current_offset", "kafka_topic_partition_oldest_offset",
  "kafka_topic_partition_in_sync_replica", "kafka_topic_partition_leader", "kafka_topic_partition_leader_is_preferred",
  "kafka_topic_partition_replicas", "kafka_topic_partition_under_replicated_partition",
  "kafka_consumergroup_current_offset", "kafka_consumergroup_current_offset_sum", "kafka_consumergroup_lag",
  "kafka_consumergroup_lag_sum", "kafka_consumergroup_members",
];

const KNOWN = new Set([
  ...SERVICE_METRICS.filter((m) => !TIMERS[m]),
  ...Object.entries(TIMERS).flatMap(([m, suffixes]) => suffixes.map((s) => m + s)),
  ...KAFKA_EXPORTER_METRICS,
]);
const KEYWORDS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan"]);

/** The metric names a PromQL expression selects. */
export function metricNames(expr) {
  const text = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')  // string literals (label values, regexes)
    .replace(/\$\{[^}]*\}|\$\w+/g, " ")                       // Grafana variables
    .replace(/\{[^}]*\}/g, " ")                                // label matchers
    .replace(/\[[^\]]*\]/g, " ")                               // range selectors
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " "); // label lists
  const names = new Set();
  for (const m of text.matchAll(/(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    if (m[2] || KEYWORDS.has(m[1].toLowerCase())) continue; // a function call or a keyword
    names.add(m[1]);
  }
  return names;
}

function* panels(list) {
  for (const p of list ?? []) {
    yield p;
    yield* panels(p.panels);
  }
}

/** Problems of the dashboard file: not JSON, no panels, a panel without a query, a query of an unknown metric. */
export function checkDashboard(file) {
  let dashboard;
  try {
    dashboard = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    return [`${file}: not valid JSON (${e.message})`];
  }
  const errors = [];
  const all = [...panels(dashboard.panels)];
  if (!all.length) errors.push(`${file}: no panels`);
  if (!dashboard.uid || !dashboard.title) errors.push(`${file}: needs a uid and a title`);
  const uids = new Set();
  for (const p of all.filter((p) => p.type !== "row")) {
    if (uids.has(p.id)) errors.push(`${file}: panel id ${p.id} is used twice`);
    uids.add(p.id);
    const targets = (p.targets ?? []).filter((t) => t.expr);
    if (p.type !== "text" && !targets.length) errors.push(`${file}: panel "${p.title}" has no query`);
    for (const t of targets) {
      for (const name of metricNames(t.expr)) {
        if (!KNOWN.has(name)) errors.push(`${file}: panel "${p.title}" queries ${name}, which no service or the Kafka Exporter publishes`);
      }
    }
  }
  return errors;
}
