// rekey's own rules for a rendered overlay: what a schema cannot know. Each returns messages, empty when it holds.
import fs from "node:fs";

/** Topic names from the event contract's Topics.java: { all: [...], rotationDue: [...], compacted: [...] }. */
export function readTopics(javaFile) {
  const source = fs.readFileSync(javaFile, "utf8");
  const constants = new Map([...source.matchAll(/static final String (\w+) = "([^"]+)";/g)].map((m) => [m[1], m[2]]));
  const list = (name) => {
    const m = source.match(new RegExp(`List<String> ${name} = List\\.of\\(([^)]*)\\)`));
    if (!m) throw new Error(`${javaFile}: no list ${name}`);
    return m[1].split(",").map((s) => s.trim()).filter(Boolean).map((c) => {
      if (!constants.has(c)) throw new Error(`${javaFile}: ${name} names an unknown constant ${c}`);
      return constants.get(c);
    });
  };
  return { all: list("ALL"), rotationDue: list("ROTATION_DUE_ALL"), compacted: list("COMPACTED") };
}

/** A KafkaTopic for every topic of the contract and its dead-letter topic, nothing else; the contract's shape. */
export function checkTopics(objects, topics) {
  const errors = [];
  const byName = new Map(objects.filter((o) => o.kind === "KafkaTopic").map((o) => [o.spec?.topicName ?? o.metadata.name, o]));
  const expected = [...topics.all, ...topics.all.map((t) => `${t}.dlq`)];
  for (const t of expected) if (!byName.has(t)) errors.push(`no KafkaTopic for ${t}`);
  for (const t of byName.keys()) if (!expected.includes(t)) errors.push(`KafkaTopic ${t} is not in Topics.ALL or their .dlq`);
  const partitions = topics.rotationDue.map((t) => byName.get(t)?.spec?.partitions);
  if (new Set(partitions).size > 1) {
    errors.push(`the rotation-due topics must have one partition count: ${topics.rotationDue.map((t, i) => `${t}=${partitions[i]}`).join(", ")}`);
  }
  for (const t of topics.compacted) {
    if (byName.get(t)?.spec?.config?.["cleanup.policy"] !== "compact") errors.push(`KafkaTopic ${t} must have cleanup.policy: compact`);
  }
  for (const user of objects.filter((o) => o.kind === "KafkaUser")) {
    for (const acl of user.spec?.authorization?.acls ?? []) {
      const r = acl.resource ?? {};
      if (r.type === "topic" && r.patternType !== "prefix" && !byName.has(r.name)) {
        errors.push(`KafkaUser ${user.metadata.name} has an ACL on ${r.name}, which no KafkaTopic creates`);
      }
      if ((acl.operations ?? []).includes("All")) errors.push(`KafkaUser ${user.metadata.name}: operation All is not least privilege`);
    }
  }
  return errors;
}

/** The hardening and conventions every rekey Deployment must keep (design.md, deploy/README.md). */
export function checkDeployments(objects) {
  const errors = [];
  const named = (kind, name) => objects.some((o) => o.kind === kind && o.metadata.name === name);
  for (const d of objects.filter((o) => o.kind === "Deployment")) {
    const name = d.metadata.name;
    const pod = d.spec.template.spec;
    const say = (m) => errors.push(`Deployment ${name}: ${m}`);
    if (pod.securityContext?.runAsNonRoot !== true) say("pod must set runAsNonRoot: true");
    if (pod.securityContext?.seccompProfile?.type !== "RuntimeDefault") say("pod must use seccompProfile RuntimeDefault");
    for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
      const sc = c.securityContext ?? {};
      if (sc.allowPrivilegeEscalation !== false) say(`container ${c.name} must set allowPrivilegeEscalation: false`);
      if (sc.readOnlyRootFilesystem !== true) say(`container ${c.name} must set readOnlyRootFilesystem: true`);
      if (!(sc.capabilities?.drop ?? []).includes("ALL")) say(`container ${c.name} must drop ALL capabilities`);
      if (!c.resources?.requests?.memory || !c.resources?.limits?.memory) say(`container ${c.name} needs memory requests and limits`);
      if (/:latest$/.test(c.image ?? "")) say(`container ${c.name} uses a :latest image`);
    }
    const main = pod.containers.find((c) => c.name === name);
    if (!main) {
      say(`has no container named ${name}`);
      continue;
    }
    const javaOptions = main.env?.find((e) => e.name === "JAVA_TOOL_OPTIONS")?.value ?? "";
    if (!/(^|\s)-Xmx256m(\s|$)/.test(javaOptions)) say("JAVA_TOOL_OPTIONS must hold -Xmx256m");
    const management = main.ports?.find((p) => p.name === "management");
    if (management?.containerPort !== 9000) say("needs a port named management on 9000");
    for (const [probe, path] of [["livenessProbe", "/q/health/live"], ["readinessProbe", "/q/health/ready"]]) {
      const get = main[probe]?.httpGet;
      if (get?.path !== path || get?.port !== "management") say(`${probe} must GET ${path} on the management port`);
    }
    const tmp = main.volumeMounts?.find((m) => m.mountPath === "/tmp");
    if (!tmp || !pod.volumes?.find((v) => v.name === tmp.name)?.emptyDir) say("needs an emptyDir on /tmp (read-only root filesystem)");
    if (!named("PodDisruptionBudget", name)) say("has no PodDisruptionBudget of the same name");
    if (!named("ServiceMonitor", name)) say("has no ServiceMonitor of the same name");
    if (!objects.some((o) => o.kind === "NetworkPolicy" && o.spec.podSelector?.matchLabels?.["app.kubernetes.io/name"] === name
        && o.spec.policyTypes?.includes("Ingress") && o.spec.policyTypes?.includes("Egress"))) {
      say("has no NetworkPolicy of its own that restricts both ingress and egress");
    }
  }
  return errors;
}

/** KEDA runs in its own namespace: its Kafka address must name this overlay's namespace, and stay in the partitions. */
export function checkScaling(objects) {
  const errors = [];
  for (const so of objects.filter((o) => o.kind === "ScaledObject")) {
    const ns = so.metadata.namespace;
    for (const t of so.spec.triggers.filter((t) => t.type === "kafka")) {
      const servers = t.metadata?.bootstrapServers ?? "";
      if (ns && !servers.split(",").every((s) => s.includes(`.${ns}.svc`))) {
        errors.push(`ScaledObject ${so.metadata.name}: trigger ${t.name} reads Kafka at ${servers}, not in namespace ${ns}`);
      }
      const topic = objects.find((o) => o.kind === "KafkaTopic" && (o.spec?.topicName ?? o.metadata.name) === t.metadata?.topic);
      if (!topic) errors.push(`ScaledObject ${so.metadata.name}: trigger ${t.name} watches ${t.metadata?.topic}, which no KafkaTopic creates`);
      else if (so.spec.maxReplicaCount > topic.spec.partitions) {
        errors.push(`ScaledObject ${so.metadata.name}: maxReplicaCount ${so.spec.maxReplicaCount} exceeds the ${topic.spec.partitions} partitions of ${t.metadata.topic}`);
      }
    }
  }
  return errors;
}

/**
 * docker-compose.yml (its schema is dclint's job): every contract topic created, and the three services as the
 * design runs them: -Xmx256m, healthchecks on the management port, Vault by AppRole (no VAULT_TOKEN), tokens
 * checked against the OIDC provider's JWKS (no key file or PEM from the repository).
 */
export function checkCompose(compose, topics) {
  const errors = [];
  const services = compose?.services ?? {};
  const command = [services["kafka-topics"]?.command ?? []].flat().join("\n");
  const listed = command.match(/for t in ([^;]+);/)?.[1].trim().split(/\s+/) ?? [];
  for (const t of topics.all) if (!listed.includes(t)) errors.push(`compose: kafka-topics does not create ${t}`);
  for (const t of listed) if (!topics.all.includes(t)) errors.push(`compose: kafka-topics creates ${t}, which is not in Topics.ALL`);
  if (!/--topic "\$\$t\.dlq"/.test(command)) errors.push("compose: kafka-topics does not create the .dlq of each topic");
  for (const name of ["inventory-service", "rotation-worker", "notifier-service"]) {
    const s = services[name];
    const say = (m) => errors.push(`compose: ${name}: ${m}`);
    if (!s) {
      say("missing");
      continue;
    }
    const env = s.environment ?? {};
    if (!/(^|\s)-Xmx256m(\s|$)/.test(String(env.JAVA_TOOL_OPTIONS ?? ""))) say("JAVA_TOOL_OPTIONS must hold -Xmx256m");
    if ("VAULT_TOKEN" in env) say("must log in to Vault by AppRole, not with VAULT_TOKEN");
    if (!String(env.QUARKUS_CONFIG_LOCATIONS ?? "").endsWith("approle.properties")) say("must load its AppRole credentials (QUARKUS_CONFIG_LOCATIONS)");
    if (!/localhost:9000\/q\/health\/ready/.test([s.healthcheck?.test ?? []].flat().join(" "))) say("healthcheck must ask /q/health/ready on the management port 9000");
    for (const key of Object.keys(env)) if (/^MP_JWT_VERIFY_PUBLICKEY$|^SMALLRYE_JWT_SIGN/.test(key)) say(`must not set ${key}: tokens are checked against the provider's JWKS`);
  }
  const location = String(services["inventory-service"]?.environment?.MP_JWT_VERIFY_PUBLICKEY_LOCATION ?? "");
  if (!/^https?:\/\/.*\/protocol\/openid-connect\/certs$/.test(location)) errors.push("compose: inventory-service must trust the JWKS of the OIDC provider (MP_JWT_VERIFY_PUBLICKEY_LOCATION)");
  return errors;
}
