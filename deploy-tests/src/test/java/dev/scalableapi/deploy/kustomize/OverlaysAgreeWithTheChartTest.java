package dev.scalableapi.deploy.kustomize;

import static dev.scalableapi.deploy.support.Manifest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.Manifest;
import dev.scalableapi.deploy.support.Renders;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What `kubectl kustomize k8s/overlays/<env>` builds runs the chart's images, ports, probes and RBAC. */
class OverlaysAgreeWithTheChartTest {

    static Stream<Manifest> overlays() {
        return Renders.overlays().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void sameImagesPortsAndProbes(Manifest overlay) {
        Manifest chart = Renders.chartDefaults();
        for (String kind : List.of("Deployment", "StatefulSet")) {
            assertEquals(chart.ofKind(kind).stream().map(Manifest::name).sorted().toList(),
                    overlay.ofKind(kind).stream().map(Manifest::name).sorted().toList(), overlay.name() + " " + kind);
            for (Map<String, Object> expected : chart.ofKind(kind)) {
                Map<String, Object> actual = overlay.get(kind, Manifest.name(expected));
                List<Map<String, Object>> want = Manifest.containers(Manifest.podSpec(expected).orElseThrow());
                List<Map<String, Object>> got = Manifest.containers(Manifest.podSpec(actual).orElseThrow());
                assertEquals(want.size(), got.size());
                for (int i = 0; i < want.size(); i++) {
                    String where = overlay.name() + " " + Manifest.id(actual) + " " + want.get(i).get("name");
                    String image = (String) want.get(i).get("image");
                    String gotImage = (String) got.get(i).get("image");
                    assertTrue(gotImage.equals(image) || gotImage.endsWith("/" + image), where + ": " + gotImage
                            + " is not " + image + " (a registry prefix may be added)");
                    for (String field : List.of("ports", "startupProbe", "readinessProbe", "livenessProbe", "lifecycle")) {
                        assertEquals(want.get(i).get(field), got.get(i).get(field), where + " " + field);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void sameRbac(Manifest overlay) {
        Manifest chart = Renders.chartDefaults();
        assertEquals(chart.ofKind("Role").get(0).get("rules"), overlay.ofKind("Role").get(0).get("rules"));
        Map<String, Object> binding = overlay.ofKind("RoleBinding").get(0);
        List<Map<String, Object>> subjects = Manifest.list(at(binding, "subjects")).stream().map(subject -> {
            Map<String, Object> copy = new java.util.LinkedHashMap<>(subject);
            // kustomize pins the subject to the overlay's namespace, which is the binding's own
            assertEquals(at(binding, "metadata.namespace"), copy.remove("namespace"), overlay.name());
            return copy;
        }).toList();
        assertEquals(at(chart.ofKind("RoleBinding").get(0), "subjects"), subjects);
        assertEquals(at(chart.ofKind("RoleBinding").get(0), "roleRef"), at(overlay.ofKind("RoleBinding").get(0), "roleRef"));
        for (Map<String, Object> account : chart.ofKind("ServiceAccount")) {
            assertEquals(account.get("automountServiceAccountToken"),
                    overlay.get("ServiceAccount", Manifest.name(account)).get("automountServiceAccountToken"));
        }
    }
}
