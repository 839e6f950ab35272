// Custom resources checked against the openAPIV3Schema of their CustomResourceDefinition (used for Strimzi, whose
// CRDs ship in the io.strimzi:api tests jar on Maven Central; see ../run.sh).
//
// A structural CRD schema lets the API server prune fields it does not declare, silently. Here they are errors:
// every object schema that declares properties, and does not say x-kubernetes-preserve-unknown-fields, gets
// additionalProperties: false. The branches of oneOf/anyOf/allOf/not are left alone: in CRDs they only name
// which declared properties go together.
//
// Parsing the CRDs and compiling the Kafka CRD's schema take seconds, so both are cached under
// node_modules/.cache (where the compiled code's imports of ajv resolve): the parsed schemas by CRD directory, the
// compiled validators by a hash of their schema.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Ajv from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import YAML from "yaml";

const CACHE = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "node_modules", ".cache", "rekey-validate");
const sha = (text) => crypto.createHash("sha256").update(text).digest("hex").slice(0, 24);

export class CrdSchemas {
  constructor(dir) {
    this.schemas = readSchemas(dir); // "group/version Kind" -> schema
    this.validators = new Map();
    if (!this.schemas.size) throw new Error(`no CustomResourceDefinition in ${dir}`);
  }

  groups() {
    return new Set([...this.schemas.keys()].map((k) => k.split("/")[0]));
  }

  knows(apiVersion, kind) {
    return this.schemas.has(`${apiVersion} ${kind}`);
  }

  /** Messages for everything in object (apart from metadata, which the caller checks) that the schema rejects. */
  async check(apiVersion, kind, object) {
    const key = `${apiVersion} ${kind}`;
    if (!this.validators.has(key)) this.validators.set(key, await compiled(strict(structuredClone(this.schemas.get(key)))));
    const validate = this.validators.get(key);
    if (validate(object)) return [];
    return validate.errors.map((e) =>
      e.keyword === "additionalProperties"
        ? `${e.instancePath}/${e.params.additionalProperty}: unknown field`
        : `${e.instancePath || "/"} ${e.message}${e.params?.allowedValues ? ` (${e.params.allowedValues.join(", ")})` : ""}`);
  }
}

function readSchemas(dir) {
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const stamp = files.map((f) => `${f}:${fs.statSync(path.join(dir, f)).size}`).join(",");
  const cached = path.join(CACHE, `crds-${sha(path.resolve(dir) + stamp)}.json`);
  if (fs.existsSync(cached)) return new Map(Object.entries(JSON.parse(fs.readFileSync(cached, "utf8"))));
  const schemas = new Map();
  for (const file of files) {
    for (const crd of YAML.parseAllDocuments(fs.readFileSync(path.join(dir, file), "utf8")).map((d) => d.toJS())) {
      if (crd?.kind !== "CustomResourceDefinition") continue;
      for (const version of crd.spec.versions) {
        schemas.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, version.schema.openAPIV3Schema);
      }
    }
  }
  write(cached, JSON.stringify(Object.fromEntries(schemas)));
  return schemas;
}

async function compiled(schema) {
  const file = path.join(CACHE, `validator-${sha(JSON.stringify(schema))}.mjs`);
  if (!fs.existsSync(file)) {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false, code: { source: true, esm: true } });
    write(file, standaloneCode(ajv, ajv.compile(schema)));
  }
  return (await import(pathToFileURL(file).href)).default;
}

function write(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function strict(schema) {
  if (!schema || typeof schema !== "object") return schema;
  if (schema.properties) {
    for (const child of Object.values(schema.properties)) strict(child);
    if (!schema["x-kubernetes-preserve-unknown-fields"] && schema.additionalProperties === undefined) {
      schema.additionalProperties = false;
    }
  }
  if (schema.items) strict(schema.items);
  if (schema.additionalProperties && typeof schema.additionalProperties === "object") strict(schema.additionalProperties);
  return schema;
}
