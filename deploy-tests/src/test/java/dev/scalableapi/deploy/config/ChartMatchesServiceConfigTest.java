package dev.scalableapi.deploy.config;

import static dev.scalableapi.deploy.support.Manifest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.ChartUnderTest;
import dev.scalableapi.deploy.support.Manifest;
import dev.scalableapi.deploy.support.Renders;
import dev.scalableapi.deploy.support.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ports, health and metrics paths, environment variable names, service names and images in the chart (and the
 * overlays built from it) are the ones the services' own configuration uses.
 */
class ChartMatchesServiceConfigTest {

    static final Map<String, String> MODULES = Map.of(
            "gateway", "gateway-service", "balancer", "balancer-service", "api", "api-service");

    /** Read by the JVM itself, not by a service's configuration. */
    static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

    /** Read by Quarkus itself: the configuration profile. */
    static final String PROFILE = "QUARKUS_PROFILE";

    static Stream<Manifest> manifests() {
        return Renders.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void everyVariableTheChartSetsIsOneTheServiceReads(Manifest manifest) {
        Map<String, Set<String>> unknown = new LinkedHashMap<>();
        MODULES.forEach((component, module) -> {
            ServiceConfig config = new ServiceConfig(module);
            Set<String> known = config.environmentVariables();
            Set<String> set = environment(manifest, component).keySet();
            Set<String> strangers = new TreeSet<>(set);
            strangers.removeAll(known);
            strangers.removeAll(JVM_VARIABLES);
            strangers.remove(PROFILE);
            if (!strangers.isEmpty()) {
                unknown.put(module, strangers);
            }
            Set<String> missing = new TreeSet<>(config.requiredEnvironmentVariables());
            missing.removeAll(set);
            assertTrue(missing.isEmpty(), manifest.name() + ": " + module + " needs " + missing);
        });
        assertTrue(unknown.isEmpty(), manifest.name() + ": variables no service reads " + unknown);
    }

    /**
     * The dev overlay runs the dev profile, whose seed and secrets are published; everything else runs the
     * production profile, where the services refuse those secrets and the dev keys.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void onlyTheDevOverlayRunsTheDevProfile(Manifest manifest) {
        String expected = manifest.name().equals("k8s/overlays/dev") ? "dev" : null;
        MODULES.keySet().forEach(component -> assertEquals(expected, environment(manifest, component).get(PROFILE),
                manifest.name() + ": " + component));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void everyServiceRunsWithTheMeasuredJvmOptions(Manifest manifest) throws java.io.IOException {
        String measured = java.nio.file.Files.readString(java.nio.file.Path.of("../scripts/lib/jvm-options")).trim();
        MODULES.keySet().forEach(component -> assertEquals(measured,
                environment(manifest, component).get("JAVA_TOOL_OPTIONS"),
                manifest.name() + ": " + component + " runs with scripts/lib/jvm-options (the bench measured those)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void portsAndPathsAreTheServices(Manifest manifest) {
        MODULES.forEach((component, module) -> {
            ServiceConfig config = new ServiceConfig(module);
            Map<String, Object> container = container(manifest, component);
            Map<String, Object> port = Manifest.list(container.get("ports")).get(0);
            assertEquals("http", port.get("name"));
            assertEquals(String.valueOf(port.get("containerPort")), environment(manifest, component).get("PORT"),
                    manifest.name() + ": " + component + " listens on PORT (quarkus.http.port="
                            + config.property("quarkus.http.port").orElse("?") + ")");
            assertEquals("true", config.property("quarkus.management.enabled").orElse("false"),
                    module + " serves health and metrics on its management interface");
            Map<String, Object> management = Manifest.list(container.get("ports")).get(1);
            assertEquals("management", management.get("name"));
            assertEquals(String.valueOf(management.get("containerPort")),
                    environment(manifest, component).get("MANAGEMENT_PORT"), manifest.name() + ": " + component
                            + " serves management on MANAGEMENT_PORT (quarkus.management.port="
                            + config.property("quarkus.management.port").orElse("?") + ")");
            String health = config.property("quarkus.management.root-path").orElse("/q") + "/"
                    + config.property("quarkus.smallrye-health.root-path").orElse("health");
            Map<String, String> probes = Map.of(
                    "livenessProbe", health + "/" + config.property("quarkus.smallrye-health.liveness-path").orElse("live"),
                    "readinessProbe", health + "/" + config.property("quarkus.smallrye-health.readiness-path").orElse("ready"),
                    "startupProbe", health + "/" + config.property("quarkus.smallrye-health.startup-path").orElse("started"));
            probes.forEach((probe, path) -> {
                assertEquals(path, at(container, probe + ".httpGet.path"), manifest.name() + ": " + component + " " + probe);
                assertEquals("management", at(container, probe + ".httpGet.port"),
                        manifest.name() + ": " + component + " " + probe + " asks the management port");
            });
            for (Map<String, Object> monitor : manifest.ofKind("ServiceMonitor")) {
                if (component.equals(Manifest.stringMap(at(monitor, "spec.selector.matchLabels"))
                        .get("app.kubernetes.io/component"))) {
                    Map<String, Object> endpoint = Manifest.list(at(monitor, "spec.endpoints")).get(0);
                    assertEquals(config.property("quarkus.micrometer.export.prometheus.path").orElse("/q/metrics"),
                            endpoint.get("path"));
                    assertEquals("management", endpoint.get("port"), manifest.name() + ": " + component
                            + " is scraped on its management port");
                }
            }
        });
    }

    @Test
    void chartDefaultsUseTheServicesDefaultPorts() {
        MODULES.forEach((component, module) -> {
            ServiceConfig config = new ServiceConfig(module);
            Map<String, String> env = environment(Renders.chartDefaults(), component);
            assertEquals(config.placeholderDefault("quarkus.http.port", "PORT").orElseThrow(), env.get("PORT"),
                    component);
            assertEquals(config.placeholderDefault("quarkus.management.port", "MANAGEMENT_PORT").orElseThrow(),
                    env.get("MANAGEMENT_PORT"), component);
        });
    }

    /**
     * Settings the chart sets from values of its own (README.md's table names them) that it leaves, by default, at
     * what the service itself would use: the chart only makes them settable.
     */
    static final Map<String, Set<String>> SERVICE_DEFAULTS_THE_CHART_KEEPS = Map.of(
            "gateway", Set.of("TRUSTED_PROXIES", "RATELIMIT_FAILURE_MODE", "SHUTDOWN_TIMEOUT", "GATEWAY_DATABASE_TIMEOUT",
                    "GATEWAY_CREDENTIALS_POLL_INTERVAL", "PASSWORD_SETUP_TOKEN_TTL", "ADMIN_SESSION_COOKIE_RENEW_AFTER",
                    "LOGIN_PASSWORD_CHECK_THREADS", "LOGIN_PASSWORD_CHECK_QUEUE", "AUDIT_RETENTION",
                    "AUDIT_MAINTENANCE_INTERVAL", "AUDIT_FAILED_LOGINS_FLUSH_INTERVAL",
                    "AUDIT_FAILED_LOGINS_BUCKETS_PER_MINUTE"),
            "balancer", Set.of("BALANCER_POLICY", "SHUTDOWN_TIMEOUT"),
            "api", Set.of("SHUTDOWN_TIMEOUT"));

    @Test
    void chartDefaultsKeepTheServicesDefaults() {
        SERVICE_DEFAULTS_THE_CHART_KEEPS.forEach((component, names) -> {
            Map<String, Set<String>> defaults = new ServiceConfig(MODULES.get(component)).variableDefaults();
            Map<String, String> env = environment(Renders.chartDefaults(), component);
            for (String name : names) {
                assertEquals(defaults.get(name), Set.of(String.valueOf(env.get(name))), component + " " + name);
            }
        });
    }

    /** Each gateway value reaches its variable (a default that merely matches could hide a value never wired). */
    @Test
    void gatewayValuesReachTheirVariables() {
        Map<String, String[]> valueToVariable = Map.ofEntries(
                Map.entry("gateway.databaseTimeout", new String[] {"GATEWAY_DATABASE_TIMEOUT", "3s"}),
                Map.entry("gateway.credentialsPollInterval", new String[] {"GATEWAY_CREDENTIALS_POLL_INTERVAL", "500ms"}),
                Map.entry("gateway.passwordSetupTokenTtl", new String[] {"PASSWORD_SETUP_TOKEN_TTL", "48h"}),
                Map.entry("gateway.adminSessionCookieRenewAfter", new String[] {"ADMIN_SESSION_COOKIE_RENEW_AFTER", "5m"}),
                Map.entry("gateway.passwordChecks.threads", new String[] {"LOGIN_PASSWORD_CHECK_THREADS", "4"}),
                Map.entry("gateway.passwordChecks.queue", new String[] {"LOGIN_PASSWORD_CHECK_QUEUE", "64"}),
                Map.entry("gateway.audit.retention", new String[] {"AUDIT_RETENTION", "30d"}),
                Map.entry("gateway.audit.maintenanceInterval", new String[] {"AUDIT_MAINTENANCE_INTERVAL", "2h"}),
                Map.entry("gateway.audit.failedLoginsFlushInterval", new String[] {"AUDIT_FAILED_LOGINS_FLUSH_INTERVAL", "2s"}),
                Map.entry("gateway.audit.failedLoginsBucketsPerMinute",
                        new String[] {"AUDIT_FAILED_LOGINS_BUCKETS_PER_MINUTE", "500"}));
        Map<String, Object> values = new LinkedHashMap<>();
        valueToVariable.forEach((value, variable) -> values.put(value, variable[1]));
        Map<String, String> env = environment(Manifest.of("gateway values", ChartUnderTest.render(null, values)), "gateway");
        valueToVariable.forEach((value, variable) -> assertEquals(variable[1], env.get(variable[0]), value));
    }

    /**
     * The previous signing secret goes only to api-service, which alone verifies signatures, from the chart's Secret
     * when set; unset, the Secret has no such key and the container starts without it (so does one given an
     * existingSecret without it).
     */
    @Test
    void thePreviousSigningSecretReachesApiServiceThroughTheSecret() {
        Manifest unset = Renders.chartDefaults();
        assertTrue(!Manifest.stringMap(unset.get("Secret", ChartUnderTest.RELEASE)
                .get("stringData")).containsKey("IDENTITY_SIGNING_SECRET_PREVIOUS"));
        Map<String, Object> ref = secretRef(unset, "api", "IDENTITY_SIGNING_SECRET_PREVIOUS");
        assertEquals(Boolean.TRUE, ref.get("optional"));
        assertEquals(ChartUnderTest.RELEASE, ref.get("name"));
        assertTrue(!environment(unset, "gateway").containsKey("IDENTITY_SIGNING_SECRET_PREVIOUS"),
                "the gateway signs with IDENTITY_SIGNING_SECRET only");

        Manifest set = Manifest.of("previous secret", ChartUnderTest.render(null,
                Map.of("secrets.identitySigningSecretPrevious", "the-secret-before-the-rotation")));
        assertEquals("the-secret-before-the-rotation", Manifest.stringMap(set.get("Secret",
                ChartUnderTest.RELEASE).get("stringData"))
                .get("IDENTITY_SIGNING_SECRET_PREVIOUS"));
        assertEquals("IDENTITY_SIGNING_SECRET_PREVIOUS", secretRef(set, "api", "IDENTITY_SIGNING_SECRET_PREVIOUS").get("key"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> secretRef(Manifest manifest, String component, String variable) {
        return Manifest.list(container(manifest, component).get("env")).stream()
                .filter(e -> variable.equals(e.get("name")))
                .map(e -> (Map<String, Object>) at(e, "valueFrom.secretKeyRef"))
                .findFirst().orElseThrow(() -> new AssertionError(manifest.name() + ": " + component + " lacks " + variable));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void eachHopHealthChecksTheNextOnItsManagementPort(Manifest manifest) {
        Map<String, Object> balancerService = service(manifest, "balancer");
        Map<String, Object> balancerManagement = Manifest.list(at(balancerService, "spec.ports")).stream()
                .filter(p -> "management".equals(p.get("name"))).findFirst().orElseThrow();
        assertEquals(String.valueOf(balancerManagement.get("port")),
                environment(manifest, "gateway").get("GATEWAY_UPSTREAM_HEALTH_PORT"),
                manifest.name() + ": the gateway probes the balancer Service's management port");
        assertTrue(Manifest.list(at(service(manifest, "api"), "spec.ports")).stream().anyMatch(p ->
                        p.get("name").equals(environment(manifest, "balancer").get(
                                "BALANCER_ENDPOINTS_KUBERNETES_HEALTH_PORT_NAME"))),
                manifest.name() + ": the api Service names the port the balancer health-checks");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void servicesFindEachOtherByTheChartsNames(Manifest manifest) {
        Map<String, String> balancer = environment(manifest, "balancer");
        assertEquals("kubernetes", balancer.get("BALANCER_DISCOVERY"));
        Map<String, Object> apiService = service(manifest, "api");
        assertEquals(Manifest.name(apiService), balancer.get("BALANCER_ENDPOINTS_KUBERNETES_SERVICE"));
        // EndpointSlice ports carry the Service's port names.
        assertEquals(Manifest.list(at(apiService, "spec.ports")).get(0).get("name"),
                balancer.get("BALANCER_ENDPOINTS_KUBERNETES_PORT_NAME"));

        Map<String, Object> balancerService = service(manifest, "balancer");
        assertEquals("http://" + Manifest.name(balancerService) + ":"
                        + Manifest.list(at(balancerService, "spec.ports")).get(0).get("port"),
                environment(manifest, "gateway").get("BALANCER_URL"));

        for (String component : List.of("gateway", "api")) {
            Map<String, String> env = environment(manifest, component);
            for (String store : List.of("postgresql", "redis")) {
                String prefix = store.equals("postgresql") ? "POSTGRES" : "REDIS";
                manifest.objects().stream()
                        .filter(o -> "Service".equals(o.get("kind")) && store.equals(
                                Manifest.stringMap(at(o, "spec.selector")).get("app.kubernetes.io/component")))
                        .findFirst().ifPresent(service -> {
                            assertEquals(Manifest.name(service), env.get(prefix + "_HOST"), manifest.name());
                            assertEquals(String.valueOf(Manifest.list(at(service, "spec.ports")).get(0).get("port")),
                                    env.get(prefix + "_PORT"), manifest.name());
                        });
            }
        }
    }

    @Test
    void imagesAreTheOnesTheServicesBuild() throws IOException {
        for (Map.Entry<String, String> entry : MODULES.entrySet()) {
            ServiceConfig config = new ServiceConfig(entry.getValue());
            String image = config.property("quarkus.container-image.group").orElseThrow() + "/"
                    + config.property("quarkus.container-image.name").orElseThrow();
            String tag = config.property("quarkus.container-image.tag").orElseThrow();
            assertEquals(image + ":" + tag, container(Renders.chartDefaults(), entry.getKey()).get("image"));
            Matcher nativeTag = Pattern.compile("<quarkus.container-image.tag>([^<]+)</quarkus.container-image.tag>")
                    .matcher(Files.readString(Repo.path(entry.getValue(), "pom.xml")));
            assertTrue(nativeTag.find(), entry.getValue() + "'s native profile tags its image");
            assertEquals("registry.example.com/acme/" + image + ":" + nativeTag.group(1),
                    container(Renders.chartAlternatives(), entry.getKey()).get("image"));
        }
    }

    @Test
    void theChartsSecretsHoldEveryKeyTheServicesAreGiven() {
        Manifest manifest = Renders.chartDefaults();
        Map<String, Set<String>> keysBySecret = new LinkedHashMap<>();
        manifest.ofKind("Secret").forEach(secret -> keysBySecret.put(Manifest.name(secret),
                Manifest.stringMap(secret.get("stringData")).keySet()));
        for (Map<String, Object> workload : manifest.workloads()) {
            for (Map<String, Object> container : Manifest.containers(Manifest.podSpec(workload).orElseThrow())) {
                for (Map<String, Object> env : Manifest.list(container.get("env"))) {
                    Object ref = at(env, "valueFrom.secretKeyRef");
                    // An optional key (IDENTITY_SIGNING_SECRET_PREVIOUS) is there only when set: its own test.
                    if (ref != null && !Boolean.TRUE.equals(at(ref, "optional"))) {
                        Set<String> keys = keysBySecret.get((String) at(ref, "name"));
                        assertTrue(keys != null, "the chart makes no Secret " + at(ref, "name"));
                        assertTrue(keys.contains((String) at(ref, "key")), at(ref, "name") + " lacks " + at(ref, "key"));
                    }
                }
            }
        }
    }

    @Test
    void readsConfigMappingInterfaces() {
        assertTrue(new ServiceConfig("balancer-service").mappedProperties().containsAll(Set.of(
                "balancer.endpoints.kubernetes.service", "balancer.endpoints.kubernetes.port-name",
                "balancer.retry.max-replayable-body")));
        assertTrue(new ServiceConfig("gateway-service").mappedProperties().containsAll(Set.of(
                "gateway.ratelimit.local-fallback.expected-replicas", "gateway.requestlog.batch-size")));
        assertTrue(new ServiceConfig("api-service").environmentVariables().contains("API_CACHE_L2_TTL_SECONDS"));
        assertTrue(!new ServiceConfig("api-service").environmentVariables().contains("BALANCER_URL"));
    }

    @Test
    void readsTheOriginalSystemsNamesAsAliasesWithTheirDefaults() {
        ServiceConfig gateway = new ServiceConfig("gateway-service");
        ServiceConfig balancer = new ServiceConfig("balancer-service");
        assertEquals("8080", gateway.placeholderDefault("quarkus.http.port", "PORT").orElseThrow());
        assertEquals("3000", balancer.placeholderDefault("quarkus.http.port", "PORT").orElseThrow());
        assertTrue(gateway.environmentVariables().containsAll(
                Set.of("GATEWAY_PORT", "RATE_LIMIT_WINDOW_MS", "RATE_LIMIT_MAX_REQUESTS")));
        assertTrue(balancer.environmentVariables().contains("LB_PORT"));
    }

    /** Name to value of every variable a component's container gets: its ConfigMaps (envFrom) and its env list. */
    static Map<String, String> environment(Manifest manifest, String component) {
        Map<String, Object> container = container(manifest, component);
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> source : Manifest.list(container.get("envFrom"))) {
            String configMap = (String) at(source, "configMapRef.name");
            env.putAll(Manifest.stringMap(manifest.get("ConfigMap", configMap).get("data")));
        }
        for (Map<String, Object> variable : Manifest.list(container.get("env"))) {
            env.put((String) variable.get("name"), variable.get("value") == null ? "<from "
                    + at(variable, "valueFrom") + ">" : String.valueOf(variable.get("value")));
        }
        return env;
    }

    static Map<String, Object> container(Manifest manifest, String component) {
        Map<String, Object> deployment = manifest.ofKind("Deployment").stream()
                .filter(d -> component.equals(Manifest.podLabels(d).get("app.kubernetes.io/component")))
                .findFirst().orElseThrow(() -> new AssertionError(manifest.name() + ": no " + component));
        return Manifest.containers(Manifest.podSpec(deployment).orElseThrow()).get(0);
    }

    private static Map<String, Object> service(Manifest manifest, String component) {
        return manifest.objects().stream()
                .filter(o -> "Service".equals(o.get("kind")) && component.equals(
                        Manifest.stringMap(at(o, "spec.selector")).get("app.kubernetes.io/component")))
                .findFirst().orElseThrow();
    }
}
