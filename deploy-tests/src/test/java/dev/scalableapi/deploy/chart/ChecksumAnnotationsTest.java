package dev.scalableapi.deploy.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.ApiServerStandIn;
import dev.scalableapi.deploy.support.ChartUnderTest;
import dev.scalableapi.deploy.support.Manifest;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * `helm upgrade` rolls exactly the pods whose configuration changed: each service's pod template carries the
 * checksum of its own ConfigMap and of the Secret it reads its credentials from.
 */
class ChecksumAnnotationsTest {

    private static final Map<String, Object> FIXED_SECRETS = Map.of(
            "secrets.identitySigningSecret", "signing-secret-0123456789",
            "secrets.postgresPassword", "password-one",
            "bootstrapAdmin.password", "admin-password-one",
            "redis.auth.password", "redis-password-one");

    @Test
    void aChangedConfigMapValueRollsOnlyThatService() {
        Map<String, Map<String, String>> before = checksums(FIXED_SECRETS);
        assertEquals(before, checksums(FIXED_SECRETS), "the same values give the same checksums");
        Map<String, Map<String, String>> after = checksums(with(FIXED_SECRETS, "gateway.env.GATEWAY_RATELIMIT_TIERS_FREE", "2000"));
        assertNotEquals(before.get("gateway").get("checksum/config"), after.get("gateway").get("checksum/config"));
        assertEquals(before.get("api"), after.get("api"));
        assertEquals(before.get("balancer"), after.get("balancer"));

        Map<String, Map<String, String>> pool = checksums(with(FIXED_SECRETS, "api.databasePoolSize", "5"));
        assertNotEquals(before.get("api").get("checksum/config"), pool.get("api").get("checksum/config"));
        assertEquals(before.get("gateway"), pool.get("gateway"));
    }

    @Test
    void aChangedSecretValueRollsTheServicesThatReadIt() {
        Map<String, Map<String, String>> before = checksums(FIXED_SECRETS);
        Map<String, Map<String, String>> after = checksums(with(FIXED_SECRETS, "secrets.postgresPassword", "password-two"));
        for (String component : new String[] {"gateway", "api"}) {
            assertTrue(before.get(component).containsKey("checksum/secret"), component);
            assertNotEquals(before.get(component).get("checksum/secret"), after.get(component).get("checksum/secret"),
                    component + " reads POSTGRES_PASSWORD");
            assertEquals(before.get(component).get("checksum/config"), after.get(component).get("checksum/config"));
        }
        assertFalse(before.get("balancer").containsKey("checksum/secret"), "the balancer reads no Secret");
        assertEquals(before.get("balancer"), after.get("balancer"));
    }

    @Test
    void aChangedRedisPasswordRollsRedisAndItsClients() {
        Map<String, Map<String, String>> before = checksums(FIXED_SECRETS);
        Map<String, Object> changed = with(FIXED_SECRETS, "redis.auth.password", "redis-password-two");
        Map<String, Map<String, String>> after = checksums(changed);
        for (String component : new String[] {"gateway", "api"}) {
            assertNotEquals(before.get(component).get("checksum/redis-secret"),
                    after.get(component).get("checksum/redis-secret"), component + " presents REDIS_PASSWORD");
            assertEquals(before.get(component).get("checksum/secret"), after.get(component).get("checksum/secret"));
        }
        assertEquals(before.get("balancer"), after.get("balancer"), "the balancer does not use Redis");
        assertNotEquals(redisPodChecksum(Manifest.of("before", ChartUnderTest.render(null, FIXED_SECRETS))),
                redisPodChecksum(Manifest.of("after", ChartUnderTest.render(null, changed))), "Redis restarts too");
    }

    @Test
    void theRedisChecksumIsOfTheGeneratedPasswordItsSecretHolds() {
        Manifest manifest = Manifest.of("generated", ChartUnderTest.render(null, Map.of()));
        String password = Manifest.stringMap(manifest.get("Secret", ChartUnderTest.RELEASE + "-redis")
                .get("stringData")).get("REDIS_PASSWORD");
        assertEquals(sha256(password), podAnnotations(manifest, "gateway").get("checksum/redis-secret"));
        assertEquals(sha256(password), redisPodChecksum(manifest));
    }

    private static String redisPodChecksum(Manifest manifest) {
        return Manifest.stringMap(Manifest.at(manifest.get("StatefulSet", ChartUnderTest.RELEASE + "-redis"),
                "spec.template.metadata.annotations")).get("checksum/redis-secret");
    }

    @Test
    void theChecksumIsOfTheGeneratedValuesTheSecretHolds() {
        // Generated values are random per render: the pods must hash the ones the Secret got, in the same render.
        String yaml = ChartUnderTest.render(null, Map.of());
        Manifest manifest = Manifest.of("generated", yaml);
        Map<String, String> data = Manifest.stringMap(manifest.get("Secret", ChartUnderTest.RELEASE).get("stringData"));
        StringBuilder rendered = new StringBuilder();
        new java.util.TreeMap<>(data).forEach((key, value) -> rendered.append('\n').append(key).append(": \"")
                .append(value).append('"'));
        assertEquals(sha256(rendered.toString()), podAnnotations(manifest, "api").get("checksum/secret"));
    }

    @Test
    void anExistingSecretThatChangedRollsThePodsOnTheNextUpgrade() {
        Map<String, Object> values = Map.of("secrets.existingSecret", "ops-managed");
        String withoutCluster = checksums(values).get("api").get("checksum/secret");
        serveExisting("first-password");
        String first = checksums(values).get("api").get("checksum/secret");
        serveExisting("rotated-password");
        String rotated = checksums(values).get("api").get("checksum/secret");
        assertNotEquals(withoutCluster, first);
        assertNotEquals(first, rotated);
    }

    private static void serveExisting(String password) {
        ApiServerStandIn.serve(new SecretBuilder().withNewMetadata().withName("ops-managed")
                .withNamespace(ChartUnderTest.NAMESPACE).endMetadata()
                .addToData("POSTGRES_PASSWORD", Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)))
                .build(), 2);
    }

    /** Component to its pod template's checksum annotations. */
    private static Map<String, Map<String, String>> checksums(Map<String, Object> values) {
        Manifest manifest = Manifest.of("checksums", ChartUnderTest.render(null, values));
        Map<String, Map<String, String>> checksums = new HashMap<>();
        for (String component : new String[] {"gateway", "balancer", "api"}) {
            Map<String, String> annotations = new HashMap<>(podAnnotations(manifest, component));
            annotations.keySet().removeIf(key -> !key.startsWith("checksum/"));
            assertTrue(annotations.containsKey("checksum/config"), component + " has checksum/config");
            checksums.put(component, annotations);
        }
        return checksums;
    }

    private static Map<String, String> podAnnotations(Manifest manifest, String component) {
        return Manifest.stringMap(Manifest.at(manifest.get("Deployment", "scalable-api-" + component),
                "spec.template.metadata.annotations"));
    }

    private static Map<String, Object> with(Map<String, Object> values, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(values);
        copy.put(key, value);
        return copy;
    }

    private static String sha256(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
