package dev.scalableapi.deploy.chart;

import static dev.scalableapi.deploy.support.Manifest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.Manifest;
import dev.scalableapi.deploy.support.Renders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Gateway API HTTPRoute beside the Ingress (ingress-nginx is retired upstream): attached to the Gateways named in
 * values, for the given host names, sending everything to the gateway Service's port. Its schema and unknown fields
 * are checked with every other object (KubernetesSchemaTest, in the render with the route on).
 */
class GatewayApiRouteTest {

    @Test
    void theRouteSendsEveryPathOfItsHostsToTheGatewayService() {
        Manifest manifest = Renders.chartAlternatives();
        Map<String, Object> route = manifest.get("HTTPRoute", "scalable-api-gateway");
        assertEquals("gateway.networking.k8s.io/v1", route.get("apiVersion"));
        assertEquals(List.of(Map.of("name", "public", "namespace", "gateways", "sectionName", "https")),
                at(route, "spec.parentRefs"));
        assertEquals(List.of("api.example.org"), at(route, "spec.hostnames"));
        List<Map<String, Object>> rules = Manifest.list(at(route, "spec.rules"));
        assertEquals(1, rules.size());
        assertEquals(Map.of("type", "PathPrefix", "value", "/"), at(Manifest.list(rules.get(0).get("matches")).get(0), "path"));
        Map<String, Object> backend = Manifest.list(rules.get(0).get("backendRefs")).get(0);
        Map<String, Object> service = manifest.get("Service", "scalable-api-gateway");
        Map<String, Object> http = Manifest.list(at(service, "spec.ports")).stream()
                .filter(p -> "http".equals(p.get("name"))).findFirst().orElseThrow();
        assertEquals(Manifest.name(service), backend.get("name"));
        assertEquals(http.get("port"), backend.get("port"));
        assertTrue(manifest.find("Ingress", "scalable-api-gateway").isPresent(), "the Ingress stays beside it");
    }

    @Test
    void offByDefault() {
        assertTrue(Renders.chartDefaults().ofKind("HTTPRoute").isEmpty());
        assertTrue(Renders.chartProduction().ofKind("HTTPRoute").isEmpty());
    }
}
