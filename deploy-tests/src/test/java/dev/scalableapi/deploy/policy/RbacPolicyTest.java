package dev.scalableapi.deploy.policy;

import static dev.scalableapi.deploy.support.Manifest.at;
import static dev.scalableapi.deploy.support.Manifest.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.Manifest;
import dev.scalableapi.deploy.support.Renders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Least privilege: the only grant is the balancer's get/list/watch on EndpointSlices (or Endpoints) of its own
 * namespace; no cluster-wide roles; only the balancer's pods carry a service account token.
 */
class RbacPolicyTest {

    /** apiGroup/resource pairs the balancer may read. */
    private static final Set<String> READABLE = Set.of("discovery.k8s.io/endpointslices", "/endpoints");
    private static final Set<String> VERBS = Set.of("get", "list", "watch");

    static Stream<Manifest> manifests() {
        return Renders.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void onlyTheBalancerReadsEndpointSlices(Manifest manifest) {
        List<String> violations = violations(manifest);
        assertTrue(violations.isEmpty(), manifest.name() + ":\n" + String.join("\n", violations));
        assertEquals(1, manifest.ofKind("Role").size(), manifest.name() + ": the balancer's Role is missing");
    }

    @Test
    void reportsRolesThatGrantMore() {
        assertEquals(List.of(), violations(Renders.chartDefaults()));
        assertTrue(violations(withRule(Map.of("apiGroups", List.of("discovery.k8s.io"),
                "resources", List.of("endpointslices"), "verbs", List.of("get", "list", "watch", "delete"))))
                .toString().contains("delete"));
        assertTrue(violations(withRule(Map.of("apiGroups", List.of(""),
                "resources", List.of("secrets"), "verbs", List.of("get")))).toString().contains("secrets"));
        assertTrue(violations(withRule(Map.of("apiGroups", List.of("*"),
                "resources", List.of("*"), "verbs", List.of("*")))).toString().contains("*"));
    }

    static List<String> violations(Manifest manifest) {
        List<String> violations = new ArrayList<>();
        for (String kind : List.of("ClusterRole", "ClusterRoleBinding")) {
            manifest.ofKind(kind).forEach(o -> violations.add(id(o) + ": no cluster-wide RBAC"));
        }
        for (Map<String, Object> role : manifest.ofKind("Role")) {
            for (Map<String, Object> rule : Manifest.list(role.get("rules"))) {
                if (rule.containsKey("nonResourceURLs")) {
                    violations.add(id(role) + ": grants non-resource URLs");
                }
                for (Object group : (List<?>) rule.getOrDefault("apiGroups", List.of())) {
                    for (Object resource : (List<?>) rule.getOrDefault("resources", List.of())) {
                        if (!READABLE.contains(group + "/" + resource)) {
                            violations.add(id(role) + ": grants " + group + "/" + resource);
                        }
                    }
                }
                for (Object verb : (List<?>) rule.getOrDefault("verbs", List.of())) {
                    if (!VERBS.contains(verb)) {
                        violations.add(id(role) + ": grants verb " + verb);
                    }
                }
            }
        }
        for (Map<String, Object> binding : manifest.ofKind("RoleBinding")) {
            List<Map<String, Object>> subjects = Manifest.list(binding.get("subjects"));
            boolean balancerOnly = subjects.size() == 1 && "ServiceAccount".equals(subjects.get(0).get("kind"))
                    && String.valueOf(subjects.get(0).get("name")).endsWith("-balancer")
                    && (subjects.get(0).get("namespace") == null
                            || Objects.equals(subjects.get(0).get("namespace"), at(binding, "metadata.namespace")));
            if (!balancerOnly) {
                violations.add(id(binding) + ": binds " + subjects + " (only the balancer's ServiceAccount, in its namespace)");
            }
        }
        for (Map<String, Object> workload : manifest.workloads()) {
            Map<String, Object> pod = Manifest.podSpec(workload).orElseThrow();
            boolean token = !Objects.equals(false, pod.get("automountServiceAccountToken"));
            boolean balancer = "balancer".equals(Manifest.podLabels(workload).get("app.kubernetes.io/component"));
            if (token != balancer) {
                violations.add(id(workload) + ": service account token " + (token ? "mounted" : "missing"));
            }
        }
        return violations;
    }

    private static Manifest withRule(Map<String, Object> rule) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Map<String, Object> object : Renders.chartDefaults().objects()) {
            Map<String, Object> copy = dev.scalableapi.deploy.support.Yaml.deepCopy(object);
            if ("Role".equals(copy.get("kind"))) {
                List<Map<String, Object>> rules = new ArrayList<>(Manifest.list(copy.get("rules")));
                rules.add(rule);
                copy.put("rules", rules);
            }
            objects.add(copy);
        }
        return new Manifest("extra rule", objects);
    }
}
