package dev.scalableapi.deploy.chart;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.ChartUnderTest;
import dev.scalableapi.deploy.support.Manifest;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad values fail at install time (values.schema.json and the templates' checks), with a message naming them. */
class ValuesSchemaTest {

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(Map.of("replicaCount", "3"), "replicaCount"),
                Arguments.of(Map.of("api.replica", "3"), "replica"),
                Arguments.of(Map.of("api.replicas", "three"), "/api/replicas"),
                Arguments.of(Map.of("api.replicas", "2"), "/api/replicas"),
                Arguments.of(Map.of("gateway.autoscaling.minReplicas", "1"), "minReplicas"),
                Arguments.of(Map.of("api.autoscaling.mode", "memory"), "mode"),
                Arguments.of(Map.of("gateway.autoscaling.keda.metric", "latency"), "metric"),
                Arguments.of(Map.of("image.tag", "latest"), "/image/tag"),
                Arguments.of(Map.of("image.variant", "graal"), "variant"),
                Arguments.of(Map.of("containerSecurityContext.readOnlyRootFilesystem", "false"), "readOnlyRootFilesystem"),
                Arguments.of(Map.of("podSecurityContext.runAsNonRoot", "false"), "runAsNonRoot"),
                Arguments.of(Map.of("postgresql.enabled", "false"), "externalDatabase"),
                Arguments.of(Map.of("redis.enabled", "false"), "externalRedis"),
                Arguments.of(Map.of("ingress.tls.enabled", "true", "ingress.host", "api.example.com"), "secretName"),
                Arguments.of(Map.of("ingress.host", "Not A Host"), "host"),
                Arguments.of(Map.of("secrets.identitySigningSecret", "short"), "identitySigningSecret"),
                Arguments.of(Map.of("secrets.identitySigningSecretPrevious", "short"), "identitySigningSecretPrevious"),
                // The gateway refuses a bootstrap admin password under 12 characters at start: the install, at once.
                Arguments.of(Map.of("bootstrapAdmin.password", "elevenchars"), "password"),
                Arguments.of(Map.of("gateway.databaseTimeout", "two seconds"), "databaseTimeout"),
                Arguments.of(Map.of("gateway.audit.retention", "forever"), "retention"),
                Arguments.of(Map.of("gateway.passwordChecks.queue", "0"), "queue"),
                Arguments.of(Map.of("gateway.rateLimitFailureMode", "ignore"), "rateLimitFailureMode"),
                Arguments.of(Map.of("gateway.shutdownTimeout", "twenty"), "shutdownTimeout"),
                Arguments.of(Map.of("api.resources.limits.memory", "lots"), "memory"),
                Arguments.of(Map.of("monitoring.prometheusOperator", "maybe"), "prometheusOperator"),
                Arguments.of(Map.of("monitoring.rules.runbookBaseUrl", "runbooks"), "runbookBaseUrl"),
                Arguments.of(Map.of("gatewayApi.enabled", "true"), "parentRefs"),
                Arguments.of(Map.of("gatewayApi.enabled", "true", "gatewayApi.parentRefs[0].sectionName", "https"), "name"),
                Arguments.of(Map.of("gatewayApi.hostnames[0]", "Not A Host"), "hostnames"),
                Arguments.of(Map.of("api.databasePoolSize", "0"), "databasePoolSize"),
                Arguments.of(Map.of("connectionBudget.reserved", "1"), "reserved"),
                Arguments.of(Map.of("kube-prometheus-stack.enabled", "true"), "kube-prometheus-stack"),
                Arguments.of(Map.of("api.autoscaling.maxReplicas", "3", "api.autoscaling.minReplicas", "4"), "maxReplicas"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void badValuesFailTheInstall(Map<String, Object> values, String named) {
        Exception failure = assertThrows(Exception.class, () -> ChartUnderTest.render(null, values));
        assertTrue(failure.getMessage().contains(named), "error names " + named + ": " + failure.getMessage());
    }

    @Test
    void goodOverridesRender() {
        Manifest manifest = Manifest.of("overrides", ChartUnderTest.render(null, Map.of(
                "api.replicas", "5", "api.autoscaling.enabled", "false", "gateway.env.GATEWAY_RATELIMIT_TIERS_FREE", "2000",
                "postgresql.enabled", "false", "externalDatabase.host", "db.example.internal",
                "externalDatabase.maxConnections", "400")));
        assertTrue(Manifest.at(manifest.get("Deployment", "scalable-api-api"), "spec.replicas").equals(5));
        assertTrue(Manifest.stringMap(manifest.get("ConfigMap", "scalable-api-gateway").get("data"))
                .get("GATEWAY_RATELIMIT_TIERS_FREE").equals("2000"));
        assertTrue(manifest.find("StatefulSet", "scalable-api-postgresql").isEmpty());
    }
}
