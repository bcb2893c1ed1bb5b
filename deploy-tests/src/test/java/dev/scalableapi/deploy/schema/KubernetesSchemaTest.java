package dev.scalableapi.deploy.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.Manifest;
import dev.scalableapi.deploy.support.Renders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object the chart renders (for each values set) and every k8s/ overlay builds is one the Kubernetes API would
 * accept: no unknown fields (fabric8's typed models), right types and every required field (the API's JSON schemas).
 */
class KubernetesSchemaTest {

    static Stream<Manifest> manifests() {
        return Renders.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void hasNoUnknownFields(Manifest manifest) {
        Map<String, List<String>> findings = new LinkedHashMap<>();
        for (Map<String, Object> object : manifest.objects()) {
            List<String> unknown = UnknownFields.in(object);
            if (!unknown.isEmpty()) {
                findings.put(Manifest.id(object), unknown);
            }
        }
        assertTrue(findings.isEmpty(), manifest.name() + ": unknown fields " + findings);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void matchesTheApiSchemas(Manifest manifest) {
        assertFalse(manifest.objects().isEmpty(), manifest.name() + " is empty");
        Map<String, List<String>> errors = SchemaValidator.errors(manifest.objects());
        assertTrue(errors.isEmpty(), manifest.name() + ": schema errors " + errors);
    }

    /** The checks above would pass vacuously if the validators saw nothing wrong ever; here they must object. */
    @Test
    void validatorsRejectTypicalMistakes() {
        Map<String, Object> deployment = Renders.chartDefaults().get("Deployment", "scalable-api-api");

        Map<String, Object> typo = deepCopy(deployment);
        container(typo).put("imagePullPolice", "Always");
        assertEquals(1, UnknownFields.in(typo).size(), "typo'd container field found");
        assertTrue(UnknownFields.in(typo).get(0).contains("imagePullPolice"));

        Map<String, Object> wrongType = deepCopy(deployment);
        Manifest.map(wrongType, "spec").put("revisionHistoryLimit", "five");
        Map<String, Object> missingRequired = deepCopy(deployment);
        container(missingRequired).remove("name");
        Map<String, List<String>> errors = SchemaValidator.errors(List.of(wrongType, missingRequired));
        assertEquals(1, errors.size(), "both objects share an id; errors: " + errors);
        String messages = String.join("\n", errors.values().iterator().next());
        assertTrue(messages.contains("revisionHistoryLimit") && messages.contains("name"), messages);

        Map<String, Object> scaledObject = deepCopy(
                Renders.chartProduction().get("ScaledObject", "scalable-api-api"));
        Manifest.map(scaledObject, "spec").put("minReplicas", 3);
        assertTrue(UnknownFields.in(scaledObject).toString().contains("minReplicas"),
                "unknown ScaledObject field found");

        Map<String, Object> serviceMonitor = deepCopy(
                Renders.chartProduction().get("ServiceMonitor", "scalable-api-api"));
        Manifest.list(Manifest.map(serviceMonitor, "spec").get("endpoints")).get(0).put("paht", "/q/metrics");
        assertTrue(UnknownFields.in(serviceMonitor).toString().contains("paht"), "unknown ServiceMonitor field found");

        Map<String, Object> route = deepCopy(Renders.chartAlternatives().get("HTTPRoute", "scalable-api-gateway"));
        Manifest.map(route, "spec").put("hostname", "api.example.org");
        assertTrue(UnknownFields.in(route).toString().contains("hostname"), "unknown HTTPRoute field found");
        Map<String, Object> routeWithoutParent = deepCopy(Renders.chartAlternatives().get("HTTPRoute", "scalable-api-gateway"));
        Manifest.list(Manifest.map(routeWithoutParent, "spec").get("parentRefs")).get(0).remove("name");
        assertTrue(SchemaValidator.errors(List.of(routeWithoutParent)).toString().contains("name"),
                "an HTTPRoute parent without a name fails the Gateway API schema");
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        return Manifest.containers(Manifest.podSpec(deployment).orElseThrow()).get(0);
    }

    private static Map<String, Object> deepCopy(Map<String, Object> object) {
        return dev.scalableapi.deploy.support.Yaml.deepCopy(object);
    }
}
