#!/usr/bin/env node
// Generates deploy/kubernetes/prometheusrule.yaml (a prometheus-operator PrometheusRule) from
// the plain Prometheus rule files deploy/prometheus/callcenter_rules.yml and
// deploy/prometheus/callcenter_alerts.yml, so the two never drift apart.
//
//   node tests/deploy/kubernetes/gen_prometheusrule.mjs          rewrite prometheusrule.yaml
//   node tests/deploy/kubernetes/gen_prometheusrule.mjs --check  exit 1 if it is not up to date
//   options: --prometheus-dir DIR (default deploy/prometheus), --out FILE, --stdout
//
// The groups are copied node by node, comments and block scalars included: recording rules
// first, then alerts. tests/deploy/check_kubernetes.sh runs the --check comparison.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Document, isMap, isSeq, parseDocument, visit } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "../../..");
export const defaultPrometheusDir = join(repoRoot, "deploy/prometheus");
export const defaultOut = join(repoRoot, "deploy/kubernetes/prometheusrule.yaml");
export const sourceFiles = ["callcenter_rules.yml", "callcenter_alerts.yml"];

function fail(msg) {
  throw new Error(msg);
}

// The YAML groups sequence of one rule file, after checking its shape.
function readGroups(path) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    fail(`cannot read ${path}: ${e.message}`);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) fail(`${path}: ${doc.errors.map((e) => e.message).join("; ")}`);
  visit(doc, {
    Alias() {
      fail(`${path}: YAML aliases are not supported by the generator; write the values out`);
    },
  });
  if (!isMap(doc.contents)) fail(`${path}: not a rule file (expected a mapping with "groups")`);
  const keys = doc.contents.items.map((p) => String(p.key?.value ?? p.key));
  const extra = keys.filter((k) => k !== "groups");
  if (extra.length) fail(`${path}: unexpected top-level key(s): ${extra.join(", ")}`);
  const groups = doc.get("groups", true);
  if (!isSeq(groups)) fail(`${path}: "groups" must be a list`);
  for (const g of groups.items) {
    if (!isMap(g)) fail(`${path}: every group must be a mapping`);
    const name = g.get("name");
    if (typeof name !== "string" || name === "") fail(`${path}: a group has no name`);
    const rules = g.get("rules", true);
    if (!isSeq(rules) || rules.items.length === 0) fail(`${path}: group ${name} has no rules`);
  }
  return groups;
}

// Returns the text of prometheusrule.yaml.
export function generate(prometheusDir = defaultPrometheusDir) {
  const out = new Document({
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: {
      name: "callcenter-exporter",
      labels: {
        "app.kubernetes.io/name": "callcenter-exporter",
        "app.kubernetes.io/component": "exporter",
      },
    },
    spec: { groups: [] },
  });
  const sources = sourceFiles.map((f) => relative(repoRoot, join(prometheusDir, f)));
  out.commentBefore = [
    " GENERATED FILE, do not edit. The recording rules and alerts of",
    ...sources.map((s) => `   ${s}`),
    " as a prometheus-operator PrometheusRule. Regenerate after changing them with",
    "   node tests/deploy/kubernetes/gen_prometheusrule.mjs",
    " Your Prometheus resource's ruleSelector must match this object's labels: add the label it",
    " selects on (kube-prometheus-stack, for example, selects `release: <its release name>`).",
  ].join("\n");
  const target = out.getIn(["spec", "groups"], true);
  const seen = new Map();
  for (const f of sourceFiles) {
    const path = join(prometheusDir, f);
    for (const g of readGroups(path).items) {
      const name = g.get("name");
      if (seen.has(name)) fail(`group name "${name}" is in both ${seen.get(name)} and ${f}`);
      seen.set(name, f);
      target.items.push(g);
    }
  }
  return out.toString({ lineWidth: 0 });
}

async function main(argv) {
  let prometheusDir = defaultPrometheusDir;
  let outFile = defaultOut;
  let mode = "write";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--check") mode = "check";
    else if (a === "--stdout") mode = "stdout";
    else if (a === "--prometheus-dir") prometheusDir = resolve(argv[++i] ?? fail("--prometheus-dir needs a value"));
    else if (a === "--out") outFile = resolve(argv[++i] ?? fail("--out needs a value"));
    else fail(`unknown argument ${a}`);
  }
  const text = generate(prometheusDir);
  if (mode === "stdout") {
    process.stdout.write(text);
  } else if (mode === "check") {
    let current = "";
    try {
      current = readFileSync(outFile, "utf8");
    } catch {
      // reported below
    }
    if (current !== text) {
      console.error(`gen_prometheusrule: ${relative(repoRoot, outFile)} is not up to date; run node tests/deploy/kubernetes/gen_prometheusrule.mjs`);
      process.exit(1);
    }
    console.log(`gen_prometheusrule: ${relative(repoRoot, outFile)} is up to date`);
  } else {
    writeFileSync(outFile, text);
    console.log(`gen_prometheusrule: wrote ${relative(repoRoot, outFile)}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`gen_prometheusrule: ${e.message}`);
    process.exit(1);
  });
}
