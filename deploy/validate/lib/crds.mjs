// Custom resources checked against the openAPIV3Schema of their CustomResourceDefinition (used for Strimzi, whose
// CRDs ship in the io.strimzi:api tests jar on Maven Central; see ../run.sh).
//
// A structural CRD schema lets the API server prune fields it does not declare, silently. Here they are errors:
// every object schema that declares properties, and does not say x-kubernetes-preserve-unknown-fields, gets
// additionalProperties: false. The branches of oneOf/anyOf/allOf/not are left alone: in CRDs they only name
// which declared properties go together.
import fs from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import YAML from "yaml";

export class CrdSchemas {
  constructor(dir) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });
    this.schemas = new Map(); // "group/version Kind" -> schema, compiled on first use (the Kafka CRD is large)
    this.validators = new Map();
    for (const file of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      for (const crd of YAML.parseAllDocuments(fs.readFileSync(path.join(dir, file), "utf8")).map((d) => d.toJS())) {
        if (crd?.kind !== "CustomResourceDefinition") continue;
        for (const version of crd.spec.versions) {
          this.schemas.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, version.schema.openAPIV3Schema);
        }
      }
    }
    if (!this.schemas.size) throw new Error(`no CustomResourceDefinition in ${dir}`);
  }

  groups() {
    return new Set([...this.schemas.keys()].map((k) => k.split("/")[0]));
  }

  knows(apiVersion, kind) {
    return this.schemas.has(`${apiVersion} ${kind}`);
  }

  /** Messages for everything in object (apart from metadata, which the caller checks) that the schema rejects. */
  check(apiVersion, kind, object) {
    const key = `${apiVersion} ${kind}`;
    if (!this.validators.has(key)) this.validators.set(key, this.ajv.compile(strict(structuredClone(this.schemas.get(key)))));
    const validate = this.validators.get(key);
    if (validate(object)) return [];
    return validate.errors.map((e) =>
      e.keyword === "additionalProperties"
        ? `${e.instancePath}/${e.params.additionalProperty}: unknown field`
        : `${e.instancePath || "/"} ${e.message}${e.params?.allowedValues ? ` (${e.params.allowedValues.join(", ")})` : ""}`);
  }
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
