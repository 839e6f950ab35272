#!/usr/bin/env node
// Validates rendered Kubernetes manifests (kubectl kustomize output) offline:
//   - every object's kind must be known: Kubernetes built-ins, KEDA and prometheus-operator through the
//     kubernetes-models packages, custom resources of the CRDs in --crds (Strimzi);
//   - every object must match its schema, and a field the schema does not declare is an error;
//   - rekey's rules (lib/rules.mjs): the topics of Topics.java, the Deployments' hardening, KEDA's Kafka address;
//   - with --dashboard, the Grafana dashboard's JSON and the metrics it queries (lib/dashboard.mjs);
//   - with --compose, docker-compose.yml's topics and services (lib/rules.mjs; dclint checks its schema).
// Usage: node validate.mjs --crds DIR --topics Topics.java [--dashboard FILE] [--compose FILE] RENDERED.yaml...
// Prints one line per file and every problem; exits 1 if there is any.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import YAML from "yaml";
import { CrdSchemas } from "./lib/crds.mjs";
import { checkDashboard } from "./lib/dashboard.mjs";
import { findModel, StrictTypes, validateWithModel } from "./lib/models.mjs";
import { checkCompose, checkDeployments, checkScaling, checkTopics, readTopics } from "./lib/rules.mjs";

const META = { id: "objectMeta", module: "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta", name: "IObjectMeta" };

// Loading the CRDs and compiling the model types take seconds: keep them for the next call (the tests call often).
const crdCache = new Map();
const typesCache = new Map();

export async function validate({ crds, topics, dashboard, compose, files }) {
  if (!crdCache.has(crds)) crdCache.set(crds, new CrdSchemas(crds));
  const crdSchemas = crdCache.get(crds);
  const crdGroups = crdSchemas.groups();
  const contract = readTopics(topics);
  const report = [];

  // Parse everything first, so that one compiler run declares every model type the files use.
  const parsed = files.map((file) => {
    const errors = [];
    const objects = [];
    YAML.parseAllDocuments(fs.readFileSync(file, "utf8")).forEach((doc, i) => {
      if (doc.errors.length) errors.push(`document ${i + 1}: ${doc.errors[0].message}`);
      else if (doc.contents !== null) objects.push(doc.toJS());
    });
    return { file, errors, objects };
  });
  const types = new Map([[META.module, META]]);
  for (const { objects } of parsed) {
    for (const o of objects) {
      const group = String(o?.apiVersion ?? "").split("/")[0];
      if (!o?.kind || crdGroups.has(group)) continue;
      const found = await findModel(String(o.apiVersion), String(o.kind));
      // the id is derived from the module, so that a cached compiler run serves any later call
      if (found) types.set(found.spec, { id: found.spec.replace(/\W/g, "_"), module: found.spec, name: `I${o.kind}` });
    }
  }
  const typesKey = [...types.keys()].sort().join(" ");
  if (!typesCache.has(typesKey)) typesCache.set(typesKey, new StrictTypes([...types.values()]));
  const strict = typesCache.get(typesKey);

  for (const { file, errors, objects } of parsed) {
    const counts = {};
    for (const o of objects) {
      const id = `${o?.kind ?? "?"}/${o?.metadata?.name ?? "?"}`;
      const say = (m) => errors.push(`${id}: ${m}`);
      if (typeof o !== "object" || !o.apiVersion || !o.kind || !o.metadata?.name) {
        say("needs apiVersion, kind and metadata.name");
        continue;
      }
      const group = o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : "";
      let problems;
      if (crdGroups.has(group)) {
        if (!crdSchemas.knows(o.apiVersion, o.kind)) {
          say(`unknown kind ${o.kind} in ${o.apiVersion}`);
          continue;
        }
        const { metadata, ...rest } = o;
        problems = [...(await crdSchemas.check(o.apiVersion, o.kind, { ...rest, metadata: {} })),
          ...strict.check(META.id, metadata).map((p) => `/metadata${p === "/" ? "" : p}`)];
        counts[group] = (counts[group] ?? 0) + 1;
      } else {
        const found = await findModel(o.apiVersion, o.kind);
        if (!found) {
          say(`unknown kind ${o.kind} in ${o.apiVersion}`);
          continue;
        }
        problems = [...validateWithModel(found.Model, o), ...strict.check(types.get(found.spec).id, o)];
        const family = found.spec.startsWith("kubernetes-models/") ? "kubernetes" : found.spec.split("/")[1];
        counts[family] = (counts[family] ?? 0) + 1;
      }
      for (const p of new Set(problems)) say(p);
    }
    if (!errors.length) {
      errors.push(...checkTopics(objects, contract), ...checkDeployments(objects), ...checkScaling(objects));
    }
    const summary = Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(", ");
    report.push({ file, objects: objects.length, summary, errors });
  }
  if (compose) {
    report.push({ file: compose, objects: 1, summary: "docker-compose topics and services",
      errors: checkCompose(YAML.parse(fs.readFileSync(compose, "utf8")), contract) });
  }
  if (dashboard) report.push({ file: dashboard, objects: 1, summary: "Grafana dashboard", errors: checkDashboard(dashboard) });
  return report;
}

async function main() {
  const { values, positionals } = parseArgs({
    options: { crds: { type: "string" }, topics: { type: "string" }, dashboard: { type: "string" }, compose: { type: "string" } },
    allowPositionals: true,
  });
  if (!values.crds || !values.topics || !positionals.length) {
    console.error("usage: node validate.mjs --crds DIR --topics Topics.java [--dashboard FILE] [--compose FILE] RENDERED.yaml...");
    process.exit(2);
  }
  const report = await validate({ ...values, files: positionals });
  let failed = 0;
  for (const r of report) {
    const name = path.relative(process.cwd(), r.file) || r.file;
    if (r.errors.length) {
      failed++;
      console.log(`FAIL ${name}: ${r.errors.length} problem(s)`);
      for (const e of r.errors) console.log(`  ${e}`);
    } else {
      console.log(`ok   ${name}: ${r.objects} object(s) valid (${r.summary})`);
    }
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) await main();
