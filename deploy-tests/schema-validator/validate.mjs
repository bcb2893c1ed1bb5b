// Reads a JSON array of Kubernetes objects (file given as argument) and validates each against the schema of its
// apiVersion and kind: wrong types, missing required fields, bad enums. Prints one JSON line per object with its
// errors; exits 1 if any object is invalid or has no known schema.
import { readFileSync } from "node:fs";

const packages = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator/monitoring.coreos.com",
  "keda.sh": "@kubernetes-models/keda/keda.sh",
  "gateway.networking.k8s.io": "@kubernetes-models/gateway-api/gateway.networking.k8s.io",
};

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const base = packages[group] ?? (group === "" ? "kubernetes-models" : `kubernetes-models/${group}`);
  const module = await import(`${base}/${version}/${kind}`);
  return module[kind];
}

const objects = JSON.parse(readFileSync(process.argv[2], "utf8"));
let failed = false;
for (const object of objects) {
  const id = `${object.kind}/${object.metadata?.name}`;
  let errors = [];
  try {
    const Model = await modelFor(object.apiVersion, object.kind);
    new Model(object).validate();
  } catch (e) {
    errors = e.errors ? e.errors.map((x) => `${x.instancePath} ${x.message}`) : [String(e.message ?? e)];
  }
  failed ||= errors.length > 0;
  console.log(JSON.stringify({ id, errors }));
}
process.exit(failed ? 1 : 0);
