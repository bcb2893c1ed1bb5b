package dev.scalableapi.deploy.support;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The manifest sets every validation runs over: the chart with its defaults, with the production-like values file,
 * and with the other options a user can pick; and the kustomize overlays in k8s/. Each is built once per JVM.
 */
public final class Renders {

    private static final Map<String, Manifest> CACHE = new ConcurrentHashMap<>();

    private Renders() {
    }

    public static Manifest chartDefaults() {
        return CACHE.computeIfAbsent("chart (default values)", n -> Manifest.of(n, ChartUnderTest.render(null, Map.of())));
    }

    /** External database and Redis, TLS ingress, KEDA on requests/s (gateway) and in-flight (api), monitoring. */
    public static Manifest chartProduction() {
        return CACHE.computeIfAbsent("chart (ci/production-values.yaml)",
                n -> Manifest.of(n, ChartUnderTest.render(ChartUnderTest.productionValues(), Map.of())));
    }

    /**
     * Options the two above leave out: native images, an existing Secret, KEDA's other metrics, a Gateway API
     * HTTPRoute, no NetworkPolicy.
     */
    public static Manifest chartAlternatives() {
        return CACHE.computeIfAbsent("chart (native images, existingSecret, KEDA the other way round, monitoring, TLS, Gateway API, no NetworkPolicy, tracing)",
                n -> Manifest.of(n, ChartUnderTest.render(null, Map.ofEntries(
                        Map.entry("image.variant", "native"),
                        Map.entry("image.registry", "registry.example.com/acme"),
                        Map.entry("secrets.existingSecret", "my-secrets"),
                        Map.entry("gateway.autoscaling.mode", "keda"),
                        Map.entry("gateway.autoscaling.keda.metric", "inFlight"),
                        Map.entry("api.autoscaling.mode", "keda"),
                        Map.entry("api.autoscaling.keda.metric", "requestsPerSecond"),
                        Map.entry("monitoring.prometheusOperator", "true"),
                        Map.entry("networkPolicy.enabled", "false"),
                        Map.entry("ingress.tls.enabled", "true"),
                        Map.entry("ingress.host", "api.example.org"),
                        Map.entry("ingress.tls.secretName", "api-tls"),
                        Map.entry("gatewayApi.enabled", "true"),
                        Map.entry("gatewayApi.parentRefs[0].name", "public"),
                        Map.entry("gatewayApi.parentRefs[0].namespace", "gateways"),
                        Map.entry("gatewayApi.parentRefs[0].sectionName", "https"),
                        Map.entry("gatewayApi.hostnames[0]", "api.example.org"),
                        Map.entry("tracing.enabled", "true"),
                        Map.entry("tracing.sampleRatio", "0.25")))));
    }

    public static Manifest chartWithoutAutoscaling() {
        return CACHE.computeIfAbsent("chart (autoscaling off)", n -> Manifest.of(n, ChartUnderTest.render(null, Map.of(
                "gateway.autoscaling.enabled", "false", "api.autoscaling.enabled", "false"))));
    }

    public static List<Manifest> chartRenders() {
        return List.of(chartDefaults(), chartProduction(), chartAlternatives(), chartWithoutAutoscaling());
    }

    public static Manifest overlay(String overlay) {
        return CACHE.computeIfAbsent("k8s/overlays/" + overlay,
                n -> Manifest.of(n, Kustomize.build(Repo.path("k8s", "overlays", overlay))));
    }

    public static List<Manifest> overlays() {
        return List.of(overlay("dev"), overlay("prod"));
    }

    public static List<Manifest> all() {
        return java.util.stream.Stream.concat(chartRenders().stream(), overlays().stream()).toList();
    }

    public static Path productionValues() {
        return ChartUnderTest.productionValues();
    }
}
