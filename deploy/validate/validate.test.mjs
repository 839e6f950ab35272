// The validator must pass the real overlays and fail each kind of broken manifest: a check that cannot fail is
// worth nothing. Each case takes the rendered dev overlay, breaks one thing, and expects that problem by name.
// run.sh sets REKEY_RENDERED_DIR (dev.yaml, prod.yaml) and REKEY_CRDS_DIR (Strimzi's CRDs).
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { validate } from "./validate.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const rendered = process.env.REKEY_RENDERED_DIR;
const crds = process.env.REKEY_CRDS_DIR;
if (!rendered || !crds) throw new Error("set REKEY_RENDERED_DIR and REKEY_CRDS_DIR (deploy/validate/run.sh does)");
const topics = path.join(root, "events/src/main/java/dev/rekey/events/Topics.java");
const dashboard = path.join(root, "deploy/grafana/rekey.json");
const compose = path.join(root, "docker-compose.yml");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "rekey-validate-"));

const devObjects = () => YAML.parseAllDocuments(fs.readFileSync(path.join(rendered, "dev.yaml"), "utf8")).map((d) => d.toJS());
const find = (objects, kind, name) => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  assert.ok(o, `${kind}/${name} is in the dev overlay`);
  return o;
};

let n = 0;
/** Validates the dev overlay after breakIt(objects) and returns its problems. */
async function problemsAfter(breakIt) {
  const objects = devObjects();
  breakIt(objects);
  const file = path.join(work, `case-${++n}.yaml`);
  fs.writeFileSync(file, objects.map((o) => YAML.stringify(o)).join("---\n"));
  const [report] = await validate({ crds, topics, files: [file] });
  return report.errors;
}

async function expectProblem(breakIt, pattern) {
  const problems = await problemsAfter(breakIt);
  assert.ok(problems.some((p) => pattern.test(p)), `expected a problem matching ${pattern}, got:\n${problems.join("\n") || "(none)"}`);
}

describe("the rendered overlays", () => {
  it("dev and prod are valid, and so are the dashboard and docker-compose.yml", async (t) => {
    const report = await validate({ crds, topics, dashboard, compose, files: ["dev.yaml", "prod.yaml"].map((f) => path.join(rendered, f)) });
    for (const r of report) {
      t.diagnostic(`${path.relative(root, r.file)}: ${r.objects} object(s), ${r.summary}: ${r.errors.length ? r.errors.join("; ") : "valid"}`);
      assert.deepEqual(r.errors, [], `${r.file} has problems`);
    }
    assert.equal(report.length, 4);
  });
});

describe("a broken manifest fails", () => {
  it("an unknown field in a Deployment's container", () =>
    expectProblem((o) => { find(o, "Deployment", "rotation-worker").spec.template.spec.containers[0].readinessProbee = {}; },
      /^Deployment\/rotation-worker: \/spec\/template\/spec\/containers\/0\/readinessProbee: unknown field$/));

  it("a wrong type in a built-in", () =>
    expectProblem((o) => { find(o, "Service", "inventory-service").spec.ports[0].port = "eighty"; },
      /^Service\/inventory-service: .*\/spec\/ports\/0\/port must be integer/));

  it("an unknown kind", () =>
    expectProblem((o) => { o.push({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } }); },
      /^Widget\/w: unknown kind Widget in example.com\/v1$/));

  it("an unknown kind in Strimzi's API group", () =>
    expectProblem((o) => { find(o, "KafkaTopic", "rekey.owners").kind = "KafkaTopik"; },
      /^KafkaTopik\/rekey.owners: unknown kind KafkaTopik in kafka.strimzi.io\/v1$/));

  it("an unknown field in a KafkaTopic", () =>
    expectProblem((o) => { const t = find(o, "KafkaTopic", "rekey.rotation-due"); t.spec.partition = t.spec.partitions; },
      /^KafkaTopic\/rekey.rotation-due: \/spec\/partition: unknown field$/));

  it("an unknown field deep in the Kafka cluster", () =>
    expectProblem((o) => { find(o, "Kafka", "rekey").spec.kafka.listeners[0].authentication.kind = "tls"; },
      /^Kafka\/rekey: \/spec\/kafka\/listeners\/0\/authentication\/kind: unknown field$/));

  it("an ACL operation Kafka does not have", () =>
    expectProblem((o) => { find(o, "KafkaUser", "rotation-worker").spec.authorization.acls[0].operations = ["Reed"]; },
      /^KafkaUser\/rotation-worker: \/spec\/authorization\/acls\/0\/operations\/0 must be equal to one of the allowed values/));

  it("an unknown field in a custom resource's metadata", () =>
    expectProblem((o) => { find(o, "KafkaNodePool", "controller").metadata.label = { a: "b" }; },
      /^KafkaNodePool\/controller: \/metadata\/label: unknown field$/));

  it("an unknown field in KEDA's ScaledObject", () =>
    expectProblem((o) => { find(o, "ScaledObject", "rotation-worker").spec.triggers[0].authenticationReff = { name: "x" }; },
      /^ScaledObject\/rotation-worker: \/spec\/triggers\/0\/authenticationReff: unknown field$/));

  it("an unknown field in a ServiceMonitor", () =>
    expectProblem((o) => { find(o, "ServiceMonitor", "notifier-service").spec.endpoint = []; },
      /^ServiceMonitor\/notifier-service: \/spec\/endpoint: unknown field$/));

  it("a missing dead-letter topic", () =>
    expectProblem((o) => { o.splice(o.indexOf(find(o, "KafkaTopic", "rekey.owners.dlq")), 1); },
      /^no KafkaTopic for rekey.owners.dlq$/));

  it("rotation-due topics with different partition counts", () =>
    expectProblem((o) => { find(o, "KafkaTopic", "rekey.rotation-due.retry").spec.partitions = 6; },
      /the rotation-due topics must have one partition count/));

  it("a writable root filesystem", () =>
    expectProblem((o) => { find(o, "Deployment", "notifier-service").spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false; },
      /^Deployment notifier-service: container notifier-service must set readOnlyRootFilesystem: true$/));

  it("a heap other than -Xmx256m", () =>
    expectProblem((o) => {
      const env = find(o, "Deployment", "inventory-service").spec.template.spec.containers[0].env;
      env.find((e) => e.name === "JAVA_TOOL_OPTIONS").value = "-Xmx1g";
    }, /^Deployment inventory-service: JAVA_TOOL_OPTIONS must hold -Xmx256m$/));

  it("KEDA pointed at another namespace's Kafka", () =>
    expectProblem((o) => { find(o, "ScaledObject", "rotation-worker").spec.triggers[1].metadata.bootstrapServers = "rekey-kafka-bootstrap.rekey.svc:9093"; },
      /^ScaledObject rotation-worker: trigger scheduled-lag reads Kafka at .*, not in namespace rekey-dev$/));

  it("a dashboard that queries a metric nobody publishes", async () => {
    const board = JSON.parse(fs.readFileSync(dashboard, "utf8"));
    board.panels.find((p) => p.targets?.length).targets[0].expr = "sum(rate(rekey_rotations_totl[5m]))";
    const file = path.join(work, "dashboard.json");
    fs.writeFileSync(file, JSON.stringify(board));
    const [, report] = await validate({ crds, topics, dashboard: file, files: [path.join(rendered, "dev.yaml")] });
    assert.ok(report.errors.some((e) => /queries rekey_rotations_totl, which no service/.test(e)), report.errors.join("\n"));
  });

  it("a dashboard that is not JSON", async () => {
    const file = path.join(work, "broken.json");
    fs.writeFileSync(file, "{\"panels\": [");
    const [, report] = await validate({ crds, topics, dashboard: file, files: [path.join(rendered, "dev.yaml")] });
    assert.match(report.errors[0], /not valid JSON/);
  });
});

describe("a broken docker-compose.yml fails", () => {
  async function composeProblems(breakIt) {
    const doc = YAML.parse(fs.readFileSync(compose, "utf8"));
    breakIt(doc);
    const file = path.join(work, `compose-${++n}.yml`);
    fs.writeFileSync(file, YAML.stringify(doc));
    const [, report] = await validate({ crds, topics, compose: file, files: [path.join(rendered, "dev.yaml")] });
    return report.errors;
  }

  it("a service back on Vault's root token", async () => {
    const problems = await composeProblems((c) => { c.services["rotation-worker"].environment.VAULT_TOKEN = "rekey-dev-root"; });
    assert.ok(problems.includes("compose: rotation-worker: must log in to Vault by AppRole, not with VAULT_TOKEN"), problems.join("\n"));
  });

  it("the inventory trusting a key file instead of the provider's JWKS", async () => {
    const problems = await composeProblems((c) => { c.services["inventory-service"].environment.MP_JWT_VERIFY_PUBLICKEY_LOCATION = "/keys/dev-public-key.pem"; });
    assert.ok(problems.some((p) => /must trust the JWKS of the OIDC provider/.test(p)), problems.join("\n"));
  });

  it("a topic of the contract missing", async () => {
    const problems = await composeProblems((c) => {
      c.services["kafka-topics"].command = [c.services["kafka-topics"].command[0].replace(" rekey.owners;", ";")];
    });
    assert.ok(problems.includes("compose: kafka-topics does not create rekey.owners"), problems.join("\n"));
  });
});
