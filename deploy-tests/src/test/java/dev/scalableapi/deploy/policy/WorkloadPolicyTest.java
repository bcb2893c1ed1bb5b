package dev.scalableapi.deploy.policy;

import static dev.scalableapi.deploy.support.Manifest.at;
import static dev.scalableapi.deploy.support.Manifest.containers;
import static dev.scalableapi.deploy.support.Manifest.id;
import static dev.scalableapi.deploy.support.Manifest.initContainers;
import static dev.scalableapi.deploy.support.Manifest.podSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.Manifest;
import dev.scalableapi.deploy.support.Renders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every container and pod must have, in every chart render and overlay: probes (long-running containers),
 * requests and limits, the restricted security context, a pinned image; and every Deployment a PodDisruptionBudget.
 */
class WorkloadPolicyTest {

    /**
     * A tag naming an exact version, at least major.minor ("17.6", "0.1.0-native", "8.11.1"), not a floating one
     * ("17", "latest", none); or a digest.
     */
    private static final Pattern PINNED = Pattern.compile(
            ".+:v?[0-9]+\\.[0-9]+(\\.[0-9]+)*([-_+][A-Za-z0-9._-]+)?$|.+@sha256:[0-9a-f]{64}$");

    static Stream<Manifest> manifests() {
        return Renders.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void everyContainerFollowsThePolicy(Manifest manifest) {
        List<String> violations = violations(manifest);
        assertTrue(violations.isEmpty(), manifest.name() + ":\n" + String.join("\n", violations));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void everyDeploymentHasADisruptionBudget(Manifest manifest) {
        List<String> missing = missingBudgets(manifest);
        assertTrue(missing.isEmpty(), manifest.name() + ": " + missing);
    }

    /** The policy would pass vacuously if it saw no mistakes: each injected mistake must be reported. */
    @Test
    void reportsInjectedMistakes() {
        Manifest clean = Renders.chartDefaults();
        assertEquals(List.of(), violations(clean));
        assertReported(clean, o -> container(o).remove("livenessProbe"), "livenessProbe");
        assertReported(clean, o -> container(o).remove("startupProbe"), "startupProbe");
        assertReported(clean, o -> Manifest.map(Manifest.map(container(o), "resources"), "limits").remove("memory"),
                "limits.memory");
        assertReported(clean, o -> Manifest.map(container(o), "securityContext").put("readOnlyRootFilesystem", false),
                "readOnlyRootFilesystem");
        assertReported(clean, o -> Manifest.map(container(o), "securityContext").put("allowPrivilegeEscalation", true),
                "allowPrivilegeEscalation");
        assertReported(clean, o -> Manifest.map(Manifest.map(container(o), "securityContext"), "capabilities")
                .put("drop", List.of("NET_RAW")), "drop ALL");
        assertReported(clean, o -> {
            Manifest.map(container(o), "securityContext").remove("seccompProfile");
            Manifest.map(podSpec(o).orElseThrow(), "securityContext").remove("seccompProfile");
        }, "seccomp");
        assertReported(clean, o -> container(o).put("image", "scalable-api/api-service:latest"), "pinned");
        assertReported(clean, o -> container(o).put("image", "scalable-api/api-service"), "pinned");
        assertReported(clean, o -> container(o).put("image", "docker.io/library/postgres:17"), "pinned");

        List<Map<String, Object>> withoutBudget = new ArrayList<>(clean.objects());
        withoutBudget.removeIf(o -> "PodDisruptionBudget".equals(o.get("kind")) && "scalable-api-api".equals(Manifest.name(o)));
        assertEquals(List.of("Deployment/scalable-api-api"), missingBudgets(new Manifest("no api PDB", withoutBudget)));
    }

    static List<String> violations(Manifest manifest) {
        List<String> violations = new ArrayList<>();
        for (Map<String, Object> workload : manifest.workloads()) {
            Map<String, Object> pod = podSpec(workload).orElseThrow();
            boolean longRunning = !"Pod".equals(workload.get("kind")) && !"Job".equals(workload.get("kind"));
            for (Map<String, Object> container : containers(pod)) {
                check(id(workload) + " container " + container.get("name"), pod, container, longRunning, violations);
            }
            for (Map<String, Object> container : initContainers(pod)) {
                check(id(workload) + " init container " + container.get("name"), pod, container, false, violations);
            }
        }
        return violations;
    }

    private static void check(String where, Map<String, Object> pod, Map<String, Object> container,
            boolean needsProbes, List<String> violations) {
        if (needsProbes) {
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                if (!(container.get(probe) instanceof Map<?, ?>)) {
                    violations.add(where + ": no " + probe);
                }
            }
        }
        for (String quantity : List.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory")) {
            if (at(container, "resources." + quantity) == null) {
                violations.add(where + ": no resources." + quantity);
            }
        }
        Object podContext = pod.get("securityContext");
        Object context = container.get("securityContext");
        if (!Objects.equals(true, firstSet(at(context, "runAsNonRoot"), at(podContext, "runAsNonRoot")))) {
            violations.add(where + ": runAsNonRoot is not true");
        }
        if (!Objects.equals(true, at(context, "readOnlyRootFilesystem"))) {
            violations.add(where + ": readOnlyRootFilesystem is not true");
        }
        if (!Objects.equals(false, at(context, "allowPrivilegeEscalation"))) {
            violations.add(where + ": allowPrivilegeEscalation is not false");
        }
        if (!(at(context, "capabilities.drop") instanceof List<?> drop && drop.contains("ALL"))
                || at(context, "capabilities.add") != null) {
            violations.add(where + ": capabilities must drop ALL and add none");
        }
        if (!"RuntimeDefault".equals(firstSet(at(context, "seccompProfile.type"), at(podContext, "seccompProfile.type")))) {
            violations.add(where + ": seccomp profile is not RuntimeDefault");
        }
        if (Objects.equals(true, at(context, "privileged"))) {
            violations.add(where + ": privileged");
        }
        String image = String.valueOf(container.get("image"));
        if (!PINNED.matcher(image).matches()) {
            violations.add(where + ": image " + image + " is not pinned to a version tag or digest");
        }
    }

    static List<String> missingBudgets(Manifest manifest) {
        List<String> missing = new ArrayList<>();
        for (Map<String, Object> deployment : manifest.ofKind("Deployment")) {
            Map<String, String> podLabels = Manifest.podLabels(deployment);
            boolean covered = manifest.ofKind("PodDisruptionBudget").stream().anyMatch(pdb ->
                    "policy/v1".equals(pdb.get("apiVersion"))
                            && "AlwaysAllow".equals(at(pdb, "spec.unhealthyPodEvictionPolicy"))
                            && podLabels.entrySet().containsAll(
                                    Manifest.stringMap(at(pdb, "spec.selector.matchLabels")).entrySet()));
            if (!covered) {
                missing.add(id(deployment));
            }
        }
        return missing;
    }

    private static Object firstSet(Object first, Object second) {
        return first != null ? first : second;
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        return containers(podSpec(deployment).orElseThrow()).get(0);
    }

    private static void assertReported(Manifest clean, java.util.function.Consumer<Map<String, Object>> mistake,
            String expected) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Map<String, Object> object : clean.objects()) {
            Map<String, Object> copy = dev.scalableapi.deploy.support.Yaml.deepCopy(object);
            if ("Deployment".equals(copy.get("kind")) && "scalable-api-api".equals(Manifest.name(copy))) {
                mistake.accept(copy);
            }
            objects.add(copy);
        }
        List<String> violations = violations(new Manifest("injected", objects));
        assertTrue(violations.size() == 1 && violations.get(0).contains(expected)
                        && violations.get(0).startsWith("Deployment/scalable-api-api"),
                "expected one violation about " + expected + ", got " + violations);
    }
}
