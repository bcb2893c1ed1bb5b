package dev.scalableapi.deploy.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.ApiServerStandIn;
import dev.scalableapi.deploy.support.ChartUnderTest;
import dev.scalableapi.deploy.support.Manifest;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Generated secrets are made once: an upgrade (the release's Secret already in the cluster) keeps them, so the
 * PostgreSQL password and the signing secret never change under running pods.
 */
class GeneratedSecretTest {

    @Test
    void firstInstallGeneratesStrongValues() {
        Map<String, String> first = secret(Map.of());
        Map<String, String> second = secret(Map.of());
        for (String key : new String[] {"IDENTITY_SIGNING_SECRET", "POSTGRES_PASSWORD", "GATEWAY_BOOTSTRAP_ADMIN_PASSWORD"}) {
            assertTrue(first.get(key).length() >= 24, key + " is long");
            assertNotEquals(first.get(key), second.get(key), key + " is random per install");
        }
        assertEquals("admin@example.com", first.get("GATEWAY_BOOTSTRAP_ADMIN_EMAIL"));
    }

    @Test
    void upgradeKeepsTheValuesInTheCluster() {
        ApiServerStandIn.serve(new SecretBuilder().withNewMetadata().withName(ChartUnderTest.RELEASE)
                .withNamespace(ChartUnderTest.NAMESPACE).endMetadata()
                .addToData("IDENTITY_SIGNING_SECRET", b64("signing-secret-from-the-first-install"))
                .addToData("POSTGRES_PASSWORD", b64("password-from-the-first-install"))
                .addToData("GATEWAY_BOOTSTRAP_ADMIN_PASSWORD", b64("admin-password-from-the-first-install"))
                .build());
        Map<String, String> upgraded = secret(Map.of());
        assertEquals("signing-secret-from-the-first-install", upgraded.get("IDENTITY_SIGNING_SECRET"));
        assertEquals("password-from-the-first-install", upgraded.get("POSTGRES_PASSWORD"));
        assertEquals("admin-password-from-the-first-install", upgraded.get("GATEWAY_BOOTSTRAP_ADMIN_PASSWORD"));
    }

    @Test
    void givenValuesWinAndAnExistingSecretReplacesTheChartsOwn() {
        Map<String, String> given = secret(Map.of("secrets.postgresPassword", "given-password",
                "bootstrapAdmin.email", "ops@example.org"));
        assertEquals("given-password", given.get("POSTGRES_PASSWORD"));
        assertEquals("ops@example.org", given.get("GATEWAY_BOOTSTRAP_ADMIN_EMAIL"));
        Manifest existing = Manifest.of("existing", ChartUnderTest.render(null, Map.of("secrets.existingSecret", "mine")));
        assertTrue(existing.find("Secret", ChartUnderTest.RELEASE).isEmpty());
    }

    private static Map<String, String> secret(Map<String, Object> values) {
        Manifest manifest = Manifest.of("secret", ChartUnderTest.render(null, values));
        return Manifest.stringMap(manifest.get("Secret", ChartUnderTest.RELEASE).get("stringData"));
    }

    private static String b64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
