#!/usr/bin/env node
// Validates the manifests of deploy/kubernetes/ (run through tests/deploy/check_kubernetes.sh).
//
//   node validate.mjs [--exporter BINARY] [--dir DIR] [--prometheus-dir DIR] [FILE...]
//
// For every document of every manifest (default: every *.yaml of DIR except kustomization.yaml):
// - the kind must be known to kubernetes-models (Kubernetes 1.27+ API) or
//   @kubernetes-models/prometheus-operator, and the object must pass that model's JSON-schema
//   validation (types, enums, required fields);
// - no field the schema does not know (the schemas themselves accept unknown fields, as the
//   API server does without strict validation, so a misspelled securityContext field would
//   be silently dropped): fields are found by watching which properties the schema validator
//   reads;
// - metadata.name is a valid DNS-1123 name.
// Then, on the set of manifests as a whole (skipped when FILEs are given):
// - kustomization.yaml lists exactly the other manifests;
// - the Deployment is locked down (non-root, read-only root file system, no privilege
//   escalation, all capabilities dropped, RuntimeDefault seccomp), probes /-/healthy and
//   /-/ready on the port named http-metrics (9714), and has resource requests and limits;
// - the Service, ServiceMonitor, ConfigMap and Secret fit together (selectors, port names,
//   volume sources, every *_file of the configuration is a key of the Secret, no inline secret);
// - prometheusrule.yaml is what gen_prometheusrule.mjs generates from deploy/prometheus/;
// - with --exporter BINARY: the ConfigMap's config.yaml passes `BINARY --config.check`, with the
//   Secret's keys written to a temporary directory in place of the mounted secret files;
// - deploy/kubernetes-sharded/statefulset.yaml (the base with a StatefulSet of --shard replicas)
//   passes the same schema checks, runs pod i with --shard=i/N where N is its replica count, and
//   has the Deployment's pod template otherwise, so that the two cannot drift apart.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";
import { generate, repoRoot } from "./gen_prometheusrule.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const errors = [];
const error = (where, msg) => errors.push(`${where}: ${msg}`);

// apiVersion -> the module of its models.
function modelModule(apiVersion) {
  if (apiVersion.startsWith("monitoring.coreos.com/")) return `@kubernetes-models/prometheus-operator/${apiVersion}`;
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion)) return null;
  return `kubernetes-models/${apiVersion}`;
}

async function modelClass(apiVersion, kind) {
  const mod = modelModule(apiVersion);
  if (!mod) return null;
  let m;
  try {
    m = await import(mod);
  } catch (e) {
    if (e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED" || e.code === "ERR_MODULE_NOT_FOUND") return null;
    throw e;
  }
  const cls = m[kind];
  return typeof cls === "function" && cls.kind === kind && cls.apiVersion === apiVersion ? cls : null;
}

// A deep copy of `value` whose objects record which of their keys are read. Returns the copy;
// `records` gets one entry per object: {path, keys, read:Set, enumerated:bool}.
function tracked(value, path, records) {
  if (Array.isArray(value)) return value.map((v, i) => tracked(v, `${path}[${i}]`, records));
  if (value === null || typeof value !== "object") return value;
  const rec = { path, keys: Object.keys(value), read: new Set(), enumerated: false };
  records.push(rec);
  const copy = {};
  for (const k of rec.keys) copy[k] = tracked(value[k], path ? `${path}.${k}` : k, records);
  return new Proxy(copy, {
    get(t, k, r) {
      if (typeof k === "string") rec.read.add(k);
      return Reflect.get(t, k, r);
    },
    has(t, k) {
      if (typeof k === "string") rec.read.add(k);
      return Reflect.has(t, k);
    },
    ownKeys(t) {
      // A schema that enumerates an object's keys describes a map (labels, data, limits...).
      rec.enumerated = true;
      return Reflect.ownKeys(t);
    },
  });
}

// Fields no schema property accounts for. An object none of whose keys were looked at has a
// free-form schema (or sits under an unknown field, which is reported itself): not judged.
function unknownFields(records) {
  const out = [];
  for (const r of records) {
    if (r.enumerated || r.read.size === 0) continue;
    for (const k of r.keys) if (!r.read.has(k)) out.push(r.path ? `${r.path}.${k}` : k);
  }
  return out;
}

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

// Parses and validates one file; returns its objects as [{where, obj}].
async function validateFile(file) {
  const rel = relative(repoRoot, file);
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    error(rel, e.message);
    return [];
  }
  const objects = [];
  const docs = parseAllDocuments(text, { prettyErrors: true });
  if (!Array.isArray(docs)) {
    error(rel, "not a YAML stream");
    return [];
  }
  let index = 0;
  for (const doc of docs) {
    index++;
    const where = docs.length > 1 ? `${rel} (document ${index})` : rel;
    if (doc.errors.length) {
      for (const e of doc.errors) error(where, e.message);
      continue;
    }
    if (doc.warnings.length) for (const w of doc.warnings) error(where, `YAML warning: ${w.message}`);
    const obj = doc.toJS({ maxAliasCount: 0 });
    if (obj === null || obj === undefined) continue; // an empty document (e.g. a trailing ---)
    if (typeof obj !== "object" || Array.isArray(obj)) {
      error(where, "a document must be a mapping");
      continue;
    }
    const { apiVersion, kind } = obj;
    if (typeof apiVersion !== "string" || typeof kind !== "string") {
      error(where, "apiVersion and kind are required strings");
      continue;
    }
    const cls = await modelClass(apiVersion, kind);
    if (!cls) {
      error(where, `unknown kind ${kind} of apiVersion ${apiVersion} (not in kubernetes-models or @kubernetes-models/prometheus-operator)`);
      continue;
    }
    const records = [];
    const proxy = tracked(obj, "", records);
    try {
      // The models' validate() checks `this`: the tracking copy stands in for a model instance.
      cls.prototype.validate.call(proxy);
    } catch (e) {
      error(where, `${kind} ${obj.metadata?.name ?? "(no name)"} is invalid: ${e.message}`);
      continue;
    }
    for (const f of unknownFields(records)) error(where, `${kind}: unknown field ${f}`);
    const name = obj.metadata?.name;
    if (typeof name !== "string" || name.length > 253 || !dns1123Subdomain.test(name)) {
      error(where, `${kind}: metadata.name ${JSON.stringify(name)} is not a DNS-1123 name`);
    }
    objects.push({ where, obj });
  }
  return objects;
}

function checkKustomization(dir, manifestFiles) {
  const file = join(dir, "kustomization.yaml");
  const rel = relative(repoRoot, file);
  let k;
  try {
    k = parse(readFileSync(file, "utf8"));
  } catch (e) {
    error(rel, e.message);
    return;
  }
  if (k?.apiVersion !== "kustomize.config.k8s.io/v1beta1" || k?.kind !== "Kustomization") {
    error(rel, "must be apiVersion kustomize.config.k8s.io/v1beta1, kind Kustomization");
  }
  const listed = Array.isArray(k?.resources) ? k.resources : [];
  const present = manifestFiles.map((f) => basename(f));
  for (const r of listed) if (!present.includes(r)) error(rel, `resources lists ${r}, which is not a manifest of ${relative(repoRoot, dir)}`);
  for (const p of present) if (!listed.includes(p)) error(rel, `resources does not list ${p}`);
  if (new Set(listed).size !== listed.length) error(rel, "resources lists a file twice");
}

const inlineSecretKeys = new Set(["secret_key", "accesskey", "password", "token"]);

// Every "<key>_file" value of a parsed configuration, and inline secret keys.
function walkConfig(node, path, files, inline) {
  if (Array.isArray(node)) return node.forEach((v, i) => walkConfig(v, `${path}[${i}]`, files, inline));
  if (node === null || typeof node !== "object") return;
  for (const [k, v] of Object.entries(node)) {
    const p = path ? `${path}.${k}` : k;
    if (k.endsWith("_file") && typeof v === "string") files.push({ path: p, value: v });
    if (inlineSecretKeys.has(k)) inline.push(p);
    walkConfig(v, p, files, inline);
  }
}

function checkSet(objects, exporter) {
  const byKind = new Map();
  for (const o of objects) {
    const list = byKind.get(o.obj.kind) ?? [];
    list.push(o);
    byKind.set(o.obj.kind, list);
  }
  const one = (kind) => {
    const list = byKind.get(kind) ?? [];
    if (list.length !== 1) {
      error("deploy/kubernetes", `expected exactly one ${kind}, found ${list.length}`);
      return null;
    }
    return list[0];
  };
  const dep = one("Deployment");
  const svc = one("Service");
  const sm = one("ServiceMonitor");
  const cm = one("ConfigMap");
  const sec = one("Secret");
  one("PrometheusRule");
  if (!dep || !svc || !sm || !cm || !sec) return;

  // Deployment
  const d = dep.obj;
  const pod = d.spec.template.spec;
  const podLabels = d.spec.template.metadata?.labels ?? {};
  const psc = pod.securityContext ?? {};
  for (const [k, v] of Object.entries(d.spec.selector.matchLabels ?? {})) {
    if (podLabels[k] !== v) error(dep.where, `selector ${k}=${v} does not match the pod template's labels`);
  }
  if (pod.containers.length !== 1) error(dep.where, "expected one container");
  const c = pod.containers[0];
  const sc = c.securityContext ?? {};
  const isTrue = (a, b) => a === true || (a === undefined && b === true);
  if (!isTrue(sc.runAsNonRoot, psc.runAsNonRoot)) error(dep.where, "runAsNonRoot must be true");
  if ((sc.runAsUser ?? psc.runAsUser) === 0) error(dep.where, "runAsUser must not be 0");
  if (sc.readOnlyRootFilesystem !== true) error(dep.where, "readOnlyRootFilesystem must be true");
  if (sc.allowPrivilegeEscalation !== false) error(dep.where, "allowPrivilegeEscalation must be false");
  if (sc.privileged === true) error(dep.where, "privileged must not be true");
  if (!(sc.capabilities?.drop ?? []).includes("ALL")) error(dep.where, "capabilities.drop must include ALL");
  if ((sc.capabilities?.add ?? []).length) error(dep.where, "capabilities.add must be empty");
  if ((sc.seccompProfile ?? psc.seccompProfile)?.type !== "RuntimeDefault") error(dep.where, "seccompProfile must be RuntimeDefault");
  if (c.image !== "callcenter_exporter:local") error(dep.where, `image is ${c.image}, expected callcenter_exporter:local (deploy/docker/Dockerfile)`);
  const port = (c.ports ?? []).find((p) => p.name === "http-metrics");
  if (!port || port.containerPort !== 9714) error(dep.where, "container port http-metrics must be 9714");
  for (const [probe, path] of [["livenessProbe", "/-/healthy"], ["readinessProbe", "/-/ready"]]) {
    const g = c[probe]?.httpGet;
    if (!g || g.path !== path || g.port !== "http-metrics") error(dep.where, `${probe} must GET ${path} on port http-metrics`);
  }
  for (const r of ["requests", "limits"]) {
    if (!c.resources?.[r]?.cpu || !c.resources?.[r]?.memory) error(dep.where, `resources.${r} must set cpu and memory`);
  }
  const args = c.args ?? [];
  const configArg = args.find((a) => a.startsWith("--config.file="));
  if (!configArg) error(dep.where, "args must give --config.file=");

  // Volumes: the ConfigMap holds the file --config.file names; the Secret is mounted.
  const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
  const mounts = c.volumeMounts ?? [];
  let secretMount = null;
  let configMounted = false;
  for (const m of mounts) {
    const v = volumes.get(m.name);
    if (!v) {
      error(dep.where, `volumeMount ${m.name} has no volume`);
      continue;
    }
    if (m.readOnly !== true) error(dep.where, `volumeMount ${m.name} must be readOnly`);
    if (v.configMap) {
      if (v.configMap.name !== cm.obj.metadata.name) error(dep.where, `volume ${v.name} names ConfigMap ${v.configMap.name}, not ${cm.obj.metadata.name}`);
      const items = v.configMap.items ?? Object.keys(cm.obj.data ?? {}).map((k) => ({ key: k, path: k }));
      for (const it of items) {
        if (!(it.key in (cm.obj.data ?? {}))) error(dep.where, `volume ${v.name} wants key ${it.key}, not in the ConfigMap`);
        if (configArg === `--config.file=${m.mountPath.replace(/\/$/, "")}/${it.path}`) configMounted = true;
      }
    }
    if (v.secret) {
      if (v.secret.secretName !== sec.obj.metadata.name) error(dep.where, `volume ${v.name} names Secret ${v.secret.secretName}, not ${sec.obj.metadata.name}`);
      secretMount = m.mountPath.replace(/\/$/, "");
    }
  }
  if (configArg && !configMounted) error(dep.where, `${configArg} is not a file of the mounted ConfigMap`);

  // Service and ServiceMonitor.
  const s = svc.obj;
  // Prometheus names the job after the Service; the rules select job=~"callcenter.*".
  if (!s.metadata.name.startsWith("callcenter")) error(svc.where, `name ${s.metadata.name}: the rules in deploy/prometheus/ select job=~"callcenter.*"`);
  for (const [k, v] of Object.entries(s.spec.selector ?? {})) {
    if (podLabels[k] !== v) error(svc.where, `selector ${k}=${v} does not match the Deployment's pod labels`);
  }
  if (!Object.keys(s.spec.selector ?? {}).length) error(svc.where, "selector is empty");
  const sp = (s.spec.ports ?? []).find((p) => p.name === "http-metrics");
  if (!sp || sp.port !== 9714 || (sp.targetPort !== "http-metrics" && sp.targetPort !== 9714)) {
    error(svc.where, "port http-metrics must be 9714, to the container's http-metrics");
  }
  const svcLabels = s.metadata.labels ?? {};
  const sel = sm.obj.spec.selector?.matchLabels ?? {};
  if (!Object.keys(sel).length) error(sm.where, "selector.matchLabels is empty");
  for (const [k, v] of Object.entries(sel)) {
    if (svcLabels[k] !== v) error(sm.where, `selector ${k}=${v} does not match the Service's labels`);
  }
  for (const e of sm.obj.spec.endpoints ?? []) {
    if (e.port !== "http-metrics") error(sm.where, `endpoint port ${e.port} is not the Service's http-metrics`);
    if ((e.path ?? "/metrics") !== "/metrics") error(sm.where, `endpoint path ${e.path}: the Deployment serves /metrics`);
  }

  // The configuration: valid YAML; secrets only as files of the Secret.
  const secretKeys = new Set([...Object.keys(sec.obj.stringData ?? {}), ...Object.keys(sec.obj.data ?? {})]);
  const configText = cm.obj.data?.["config.yaml"];
  if (typeof configText !== "string") {
    error(cm.where, "data must hold config.yaml");
    return;
  }
  let config;
  try {
    config = parse(configText, { prettyErrors: true });
  } catch (e) {
    error(cm.where, `config.yaml: ${e.message}`);
    return;
  }
  const files = [];
  const inline = [];
  walkConfig(config, "", files, inline);
  for (const p of inline) error(cm.where, `config.yaml: ${p} is inline; give it as ${p.split(".").pop()}_file from the Secret`);
  for (const f of files) {
    if (!f.path.startsWith("targets[") || f.path.includes(".tls.")) continue;
    const prefix = `${secretMount}/`;
    if (!secretMount || !f.value.startsWith(prefix)) {
      error(cm.where, `config.yaml: ${f.path} is ${f.value}, not a file of the Secret mounted at ${secretMount}`);
    } else if (!secretKeys.has(f.value.slice(prefix.length))) {
      error(cm.where, `config.yaml: ${f.path} names ${f.value.slice(prefix.length)}, not a key of Secret ${sec.obj.metadata.name}`);
    }
  }

  if (exporter && secretMount) {
    const tmp = mkdtempSync(join(tmpdir(), "cc-k8s-config-"));
    try {
      mkdirSync(join(tmp, "secrets"));
      for (const [k, v] of Object.entries(sec.obj.stringData ?? {})) writeFileSync(join(tmp, "secrets", k), v);
      for (const [k, v] of Object.entries(sec.obj.data ?? {})) writeFileSync(join(tmp, "secrets", k), Buffer.from(v, "base64"));
      writeFileSync(join(tmp, "config.yaml"), configText.replaceAll(`${secretMount}/`, `${join(tmp, "secrets")}/`));
      const r = spawnSync(exporter, ["--config.check", `--config.file=${join(tmp, "config.yaml")}`], { encoding: "utf8" });
      if (r.error) error(cm.where, `running ${exporter}: ${r.error.message}`);
      else if (r.status !== 0) error(cm.where, `config.yaml fails --config.check (exit ${r.status}): ${(r.stderr || r.stdout).trim()}`);
      else console.log(`validate: config.yaml of the ConfigMap passes ${basename(exporter)} --config.check: ${r.stdout.trim().replace(/^.*: /, "")}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
}

// The sharded StatefulSet against the Deployment `dep` of the base.
async function checkSharded(file, dep) {
  const objects = await validateFile(file);
  const where = relative(repoRoot, file);
  if (objects.length !== 1 || objects[0].obj.kind !== "StatefulSet") {
    error(where, "expected one StatefulSet");
    return;
  }
  const sts = objects[0].obj;
  const pod = structuredClone(sts.spec.template);
  const c = pod.spec.containers[0];
  const env = c.env ?? [];
  const shardEnv = env.find((e) => e.name === "SHARD");
  if (shardEnv?.valueFrom?.fieldRef?.fieldPath !== "metadata.labels['apps.kubernetes.io/pod-index']") {
    error(where, "env SHARD must come from the label apps.kubernetes.io/pod-index (the pod's ordinal)");
  }
  const want = `--shard=$(SHARD)/${sts.spec.replicas}`;
  if (!(c.args ?? []).includes(want)) error(where, `args must give ${want}: one shard per replica`);
  c.env = env.filter((e) => e !== shardEnv);
  if (!c.env.length) delete c.env;
  c.args = (c.args ?? []).filter((a) => a !== want);
  const base = structuredClone(dep.spec.template);
  if (JSON.stringify(pod) !== JSON.stringify(base)) {
    error(where, "the pod template differs from deploy/kubernetes/deployment.yaml's beyond SHARD and --shard");
  }
  for (const k of ["selector", "revisionHistoryLimit"]) {
    if (JSON.stringify(sts.spec[k]) !== JSON.stringify(dep.spec[k])) error(where, `spec.${k} differs from the Deployment's`);
  }
}

async function main(argv) {
  let dir = join(repoRoot, "deploy/kubernetes");
  let exporter = null;
  let prometheusDir;
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--exporter") exporter = resolve(argv[++i] ?? "");
    else if (argv[i] === "--dir") dir = resolve(argv[++i] ?? "");
    else if (argv[i] === "--prometheus-dir") prometheusDir = resolve(argv[++i] ?? "");
    else if (argv[i].startsWith("--")) throw new Error(`unknown argument ${argv[i]}`);
    else files.push(resolve(argv[i]));
  }
  const whole = files.length === 0;
  if (whole) {
    for (const f of readdirSync(dir).sort()) {
      if (/\.ya?ml$/.test(f) && f !== "kustomization.yaml") files.push(join(dir, f));
    }
    if (!files.length) throw new Error(`no manifest in ${dir}`);
  }
  const objects = [];
  for (const f of files) objects.push(...(await validateFile(f)));
  if (whole) {
    checkKustomization(dir, files);
    checkSet(objects, exporter);
    const dep = objects.find((o) => o.obj.kind === "Deployment");
    if (dep) await checkSharded(join(dir, "../kubernetes-sharded/statefulset.yaml"), dep.obj);
    try {
      const want = generate(prometheusDir);
      const file = join(dir, "prometheusrule.yaml");
      let have = "";
      try {
        have = readFileSync(file, "utf8");
      } catch {
        // reported below
      }
      if (have !== want) {
        error(relative(repoRoot, file), "differs from what tests/deploy/kubernetes/gen_prometheusrule.mjs generates from deploy/prometheus/; run it");
      }
    } catch (e) {
      error("gen_prometheusrule", e.message);
    }
  }
  if (errors.length) {
    for (const e of errors) console.error(`validate: FAIL: ${e}`);
    console.error(`validate: ${errors.length} problem(s)`);
    process.exit(1);
  }
  const kinds = objects.map((o) => o.obj.kind).join(", ");
  console.log(`validate: OK, ${objects.length} object(s) in ${files.length} file(s): ${kinds}`);
}

main(process.argv.slice(2)).catch((e) => {
  console.error(`validate: ${e.stack ?? e.message}`);
  process.exit(1);
});
