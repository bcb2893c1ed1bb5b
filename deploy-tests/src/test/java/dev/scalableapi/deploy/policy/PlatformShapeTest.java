package dev.scalableapi.deploy.policy;

import static dev.scalableapi.deploy.support.Manifest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.Manifest;
import dev.scalableapi.deploy.support.Renders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shape the issue asks of an install: replicas, autoscaling, spreading, termination, network reachability. */
class PlatformShapeTest {

    private static final Map<String, Integer> MIN_REPLICAS = Map.of("gateway", 2, "balancer", 2, "api", 3);
    /** Longest the gateway spends writing its request-log queue after the drain (REQUESTLOG_SHUTDOWN_TIMEOUT). */
    private static final Duration REQUEST_LOG_FLUSH = Duration.ofSeconds(5);

    static Stream<Manifest> manifests() {
        return Renders.all().stream();
    }

    static Stream<Manifest> chartRenders() {
        return Renders.chartRenders().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void runsEnoughReplicasOfEachService(Manifest manifest) {
        MIN_REPLICAS.forEach((component, minimum) -> {
            Map<String, Object> deployment = deployment(manifest, component);
            String name = Manifest.name(deployment);
            Object replicas = at(deployment, "spec.replicas");
            List<Map<String, Object>> scalers = Stream.concat(
                    manifest.ofKind("HorizontalPodAutoscaler").stream().filter(h -> name.equals(at(h, "spec.scaleTargetRef.name"))),
                    manifest.ofKind("ScaledObject").stream().filter(s -> name.equals(at(s, "spec.scaleTargetRef.name"))))
                    .toList();
            assertTrue(scalers.size() <= 1, manifest.name() + ": " + name + " has both an HPA and a ScaledObject");
            if (scalers.isEmpty()) {
                assertTrue(replicas instanceof Integer r && r >= minimum,
                        manifest.name() + ": " + name + " runs " + replicas + " replicas, at least " + minimum + " wanted");
            } else {
                Object min = firstSet(at(scalers.get(0), "spec.minReplicas"), at(scalers.get(0), "spec.minReplicaCount"));
                assertTrue(min instanceof Integer m && m >= minimum,
                        manifest.name() + ": " + name + " scales down to " + min + ", at least " + minimum + " wanted");
                assertEquals(null, replicas, manifest.name() + ": " + name + " sets replicas while autoscaled");
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chartRenders")
    void autoscalesGatewayAndApi(Manifest manifest) {
        boolean autoscalingOff = manifest.ofKind("HorizontalPodAutoscaler").isEmpty() && manifest.ofKind("ScaledObject").isEmpty();
        if (manifest.name().contains("autoscaling off")) {
            assertTrue(autoscalingOff);
            return;
        }
        for (String component : List.of("gateway", "api")) {
            String name = Manifest.name(deployment(manifest, component));
            boolean hpa = manifest.find("HorizontalPodAutoscaler", name)
                    .filter(h -> "cpu".equals(at(Manifest.list(at(h, "spec.metrics")).get(0), "resource.name"))).isPresent();
            boolean keda = manifest.find("ScaledObject", name).filter(s -> {
                List<Map<String, Object>> triggers = Manifest.list(at(s, "spec.triggers"));
                return triggers.stream().anyMatch(t -> "prometheus".equals(t.get("type")))
                        && triggers.stream().anyMatch(t -> "cpu".equals(t.get("type")));
            }).isPresent();
            assertTrue(hpa ^ keda, manifest.name() + ": " + name + " needs a CPU HPA or a KEDA ScaledObject");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void spreadsPodsAndTerminatesGracefully(Manifest manifest) {
        for (String component : MIN_REPLICAS.keySet()) {
            Map<String, Object> deployment = deployment(manifest, component);
            Map<String, Object> pod = Manifest.podSpec(deployment).orElseThrow();
            Set<Object> keys = new TreeSet<>();
            Manifest.list(pod.get("topologySpreadConstraints")).forEach(c -> keys.add(c.get("topologyKey")));
            assertTrue(keys.contains("kubernetes.io/hostname"), manifest.name() + ": " + component + " not spread over nodes");

            Map<String, Object> container = Manifest.containers(pod).get(0);
            Object sleep = at(container, "lifecycle.preStop.sleep.seconds");
            assertTrue(sleep instanceof Integer s && s > 0, manifest.name() + ": " + component + " has no preStop pause");
            Duration drain = Duration.ofSeconds((Integer) sleep).plus(shutdownTimeout(manifest, component));
            if (component.equals("gateway")) {
                drain = drain.plus(REQUEST_LOG_FLUSH);
            }
            long grace = ((Number) pod.get("terminationGracePeriodSeconds")).longValue();
            assertTrue(grace > drain.toSeconds(), manifest.name() + ": " + component + " grace period " + grace
                    + " s is not longer than preStop + drain (" + drain.toSeconds() + " s)");
        }
    }

    /**
     * Who may open connections to whom and on which port, as the NetworkPolicies say, for pods of the release: the
     * management port (health, metrics, OpenAPI) only from the monitoring namespace's Prometheus and the hop in front
     * (its health checks), never from the ingress controller.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void networkPoliciesAdmitOnlyTheIntendedCallers(Manifest manifest) {
        if (manifest.ofKind("NetworkPolicy").isEmpty()) {
            assertTrue(manifest.name().contains("no NetworkPolicy"), manifest.name() + " has no NetworkPolicy");
            return;
        }
        Map<String, Set<String>> expected = Map.of(
                "gateway", Set.of("tests → http", "<ingress controller> → http", "<metrics scraper> → management"),
                "balancer", Set.of("gateway → http", "gateway → management", "<metrics scraper> → management"),
                "api", Set.of("balancer → http", "balancer → management", "<metrics scraper> → management"),
                "postgresql", Set.of("gateway → postgresql", "api → postgresql"),
                "redis", Set.of("gateway → redis", "api → redis"));
        expected.forEach((target, callers) -> {
            List<Map<String, Object>> policies = manifest.ofKind("NetworkPolicy").stream()
                    .filter(p -> target.equals(Manifest.stringMap(at(p, "spec.podSelector.matchLabels"))
                            .get("app.kubernetes.io/component")))
                    .toList();
            boolean present = manifest.objects().stream().anyMatch(o -> Manifest.podSpec(o).isPresent()
                    && target.equals(Manifest.podLabels(o).get("app.kubernetes.io/component")));
            if (!present) {
                return; // external database or Redis
            }
            assertEquals(1, policies.size(), manifest.name() + ": one NetworkPolicy should select " + target);
            Map<String, Object> policy = policies.get(0);
            assertEquals(List.of("Ingress"), at(policy, "spec.policyTypes"));
            Set<String> admitted = new TreeSet<>();
            for (Map<String, Object> rule : Manifest.list(at(policy, "spec.ingress"))) {
                for (Map<String, Object> peer : Manifest.list(rule.get("from"))) {
                    for (Map<String, Object> port : Manifest.list(rule.get("ports"))) {
                        admitted.add(describe(manifest, peer) + " → " + port.get("port"));
                    }
                }
            }
            assertEquals(new TreeSet<>(callers), admitted, manifest.name() + ": callers admitted to " + target);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void balancerMayListAndWatchTheApiEndpointSlices(Manifest manifest) {
        Map<String, Object> role = manifest.ofKind("Role").get(0);
        boolean sufficient = Manifest.list(role.get("rules")).stream().anyMatch(rule ->
                ((List<?>) rule.get("apiGroups")).contains("discovery.k8s.io")
                        && ((List<?>) rule.get("resources")).contains("endpointslices")
                        && ((List<?>) rule.get("verbs")).containsAll(List.of("list", "watch")));
        assertTrue(sufficient, manifest.name() + ": the balancer's informer lists and watches EndpointSlices");
        Map<String, Object> apiService = manifest.objects().stream()
                .filter(o -> "Service".equals(o.get("kind")) && "api".equals(
                        Manifest.stringMap(at(o, "spec.selector")).get("app.kubernetes.io/component")))
                .findFirst().orElseThrow();
        assertEquals("None", at(apiService, "spec.clusterIP"), manifest.name() + ": the api Service is headless");
    }

    private static String describe(Manifest manifest, Map<String, Object> peer) {
        if (peer.containsKey("namespaceSelector")) {
            Map<String, String> pods = Manifest.stringMap(at(peer, "podSelector.matchLabels"));
            return "prometheus".equals(pods.get("app.kubernetes.io/name")) ? "<metrics scraper>" : "<ingress controller>";
        }
        Map<String, String> labels = Manifest.stringMap(at(peer, "podSelector.matchLabels"));
        assertNotNull(labels.get("app.kubernetes.io/instance"), manifest.name() + ": peer " + peer + " not of the release");
        return labels.get("app.kubernetes.io/component");
    }

    static Map<String, Object> deployment(Manifest manifest, String component) {
        return manifest.ofKind("Deployment").stream()
                .filter(d -> component.equals(Manifest.podLabels(d).get("app.kubernetes.io/component")))
                .findFirst().orElseThrow(() -> new AssertionError(manifest.name() + ": no " + component + " Deployment"));
    }

    /** SHUTDOWN_TIMEOUT from the service's configuration (the ConfigMap it reads), e.g. "20s". */
    private static Duration shutdownTimeout(Manifest manifest, String component) {
        Map<String, Object> container = Manifest.containers(
                Manifest.podSpec(deployment(manifest, component)).orElseThrow()).get(0);
        String configMap = String.valueOf(at(Manifest.list(container.get("envFrom")).get(0), "configMapRef.name"));
        String value = Manifest.stringMap(manifest.get("ConfigMap", configMap).get("data")).get("SHUTDOWN_TIMEOUT");
        assertNotNull(value, manifest.name() + ": " + component + " has no SHUTDOWN_TIMEOUT");
        return Duration.parse("PT" + value.toUpperCase());
    }

    private static Object firstSet(Object first, Object second) {
        return first != null ? first : second;
    }
}
