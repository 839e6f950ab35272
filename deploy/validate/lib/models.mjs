// Kubernetes built-ins, KEDA and prometheus-operator objects, checked with the models of the npm packages
// kubernetes-models, @kubernetes-models/keda and @kubernetes-models/prometheus-operator.
//
// Those models validate types, required fields and formats (their compiled JSON schemas), but let unknown fields
// through, which the API server would then drop without a word. So every object is also walked against the
// model's TypeScript declaration, through the TypeScript compiler's type checker: a field that the declared type
// does not have is an error, at any depth.
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const PACKAGES = ["kubernetes-models", "@kubernetes-models/keda", "@kubernetes-models/prometheus-operator"];

/** The model class of a kind and the module it is in, or null for a kind none of the packages knows. */
export async function findModel(apiVersion, kind) {
  if (!/^[A-Za-z0-9.\-/]+$/.test(apiVersion) || !/^[A-Za-z0-9]+$/.test(kind)) return null;
  for (const pkg of PACKAGES) {
    const spec = `${pkg}/${apiVersion}/${kind}`;
    let mod;
    try {
      mod = await import(spec);
    } catch (e) {
      if (e.code === "ERR_MODULE_NOT_FOUND" || e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") continue;
      throw e;
    }
    if (typeof mod[kind] === "function" && mod[kind].kind === kind) return { spec, Model: mod[kind] };
  }
  return null;
}

/** Runs the model's own validation (types, required fields, formats); returns its messages. */
export function validateWithModel(Model, object) {
  try {
    new Model(object).validate();
    return [];
  } catch (e) {
    return Array.isArray(e.errors) && e.errors.length
      ? e.errors.map((x) => `${x.instancePath || "/"} ${x.message}`)
      : [e.message];
  }
}

/**
 * Walks plain JSON values against TypeScript types declared by the model packages. One compiler run declares a
 * value of every type needed; the walk then reports every field the type does not declare and every value of the
 * wrong JSON type, with its path.
 */
export class StrictTypes {
  constructor(types) {
    // types: [{ id, module, name }] e.g. { id: "t0", module: "kubernetes-models/apps/v1/Deployment", name: "IDeployment" }
    // a virtual file beside node_modules, so that the compiler resolves the packages as this directory does
    const file = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "__rekey_types__.ts");
    const source = types
      .map((t) => `import type { ${t.name} as ${t.id}_T } from "${t.module}";\nexport declare const ${t.id}: ${t.id}_T;`)
      .join("\n");
    const options = {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) =>
      name === file ? ts.createSourceFile(name, source, lang, true) : getSourceFile(name, lang, ...rest);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || fileExists(name);
    const program = ts.createProgram([file], options, host);
    // only the declarations file itself: its imports must resolve (the packages' own .d.ts need no checking)
    const problems = [...program.getSyntacticDiagnostics(program.getSourceFile(file)), ...program.getSemanticDiagnostics(program.getSourceFile(file))]
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    if (problems.length) throw new Error(`the model types did not load: ${problems.join("; ")}`);
    this.checker = program.getTypeChecker();
    this.byId = new Map();
    for (const statement of program.getSourceFile(file).statements) {
      if (!ts.isVariableStatement(statement)) continue;
      const declaration = statement.declarationList.declarations[0];
      this.byId.set(declaration.name.text, { type: this.checker.getTypeAtLocation(declaration.name), node: declaration });
    }
  }

  /** Every unknown field and wrong JSON type in value, as "path: problem". */
  check(id, value) {
    const { type, node } = this.byId.get(id);
    const errors = [];
    this.#walk(value, type, node, "", errors);
    return errors;
  }

  #walk(value, type, node, at, errors) {
    const F = ts.TypeFlags;
    const where = at || "/";
    if (type.flags & (F.Any | F.Unknown)) return;
    if (type.isUnion()) {
      if (value === null && type.types.some((t) => t.flags & F.Null)) return;
      const members = type.types.filter((t) => !(t.flags & (F.Undefined | F.Void | F.Null)));
      if (members.length && members.every((t) => t.flags & F.BooleanLiteral)) {
        if (typeof value !== "boolean") errors.push(`${where}: must be a boolean`);
        return;
      }
      if (members.length === 1) return this.#walk(value, members[0], node, at, errors);
      let best = null;
      for (const member of members) {
        const found = [];
        this.#walk(value, member, node, at, found);
        if (!found.length) return;
        if (!best || found.length < best.length) best = found;
      }
      errors.push(...(best ?? [`${where}: matches none of its types`]));
      return;
    }
    if (type.isStringLiteral()) {
      if (value !== type.value) errors.push(`${where}: must be "${type.value}"`);
      return;
    }
    if (type.isNumberLiteral()) {
      if (value !== type.value) errors.push(`${where}: must be ${type.value}`);
      return;
    }
    if (type.flags & (F.String | F.TemplateLiteral)) {
      if (typeof value !== "string") errors.push(`${where}: must be a string`);
      return;
    }
    if (type.flags & F.Number) {
      if (typeof value !== "number") errors.push(`${where}: must be a number`);
      return;
    }
    if (type.flags & (F.Boolean | F.BooleanLiteral)) {
      if (typeof value !== "boolean") errors.push(`${where}: must be a boolean`);
      return;
    }
    const name = type.symbol?.name;
    if (name === "Array" || name === "ReadonlyArray") {
      if (!Array.isArray(value)) {
        errors.push(`${where}: must be a list`);
        return;
      }
      const element = this.checker.getTypeArguments(type)[0];
      value.forEach((item, i) => this.#walk(item, element, node, `${at}/${i}`, errors));
      return;
    }
    if (type.flags & F.Object || type.isIntersection()) {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        errors.push(`${where}: must be an object`);
        return;
      }
      const index = this.checker.getIndexTypeOfType(type, ts.IndexKind.String);
      for (const [key, child] of Object.entries(value)) {
        const property = this.checker.getPropertyOfType(type, key);
        if (property) this.#walk(child, this.checker.getTypeOfSymbolAtLocation(property, node), node, `${at}/${key}`, errors);
        else if (index) this.#walk(child, index, node, `${at}/${key}`, errors);
        else errors.push(`${at}/${key}: unknown field`);
      }
      return;
    }
    errors.push(`${where}: has a type the validator does not know (${this.checker.typeToString(type)})`);
  }
}
