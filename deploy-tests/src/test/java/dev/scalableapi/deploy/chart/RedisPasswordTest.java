package dev.scalableapi.deploy.chart;

import static dev.scalableapi.deploy.support.Manifest.at;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.deploy.support.ApiServerStandIn;
import dev.scalableapi.deploy.support.ChartUnderTest;
import dev.scalableapi.deploy.support.Manifest;
import dev.scalableapi.deploy.support.Renders;
import dev.scalableapi.testsupport.FreePorts;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's Redis requires a password, generated once and kept on upgrades (or given, or from a Secret of yours),
 * and gateway and api-service read it from the same Secret; an external Redis takes a password only when given, and
 * TLS with its CA. The Redis container's start script and probes are run here against a real redis-server.
 */
class RedisPasswordTest {

    private static final String SECRET = ChartUnderTest.RELEASE + "-redis";
    private static final String STATEFUL_SET = ChartUnderTest.RELEASE + "-redis";

    @Test
    void theChartsRedisGetsAGeneratedPasswordThatRedisAndBothServicesRead() {
        Manifest manifest = Renders.chartDefaults();
        String password = password(manifest, SECRET);
        assertTrue(password.length() >= 32, "a long password");
        assertNotEquals(password, password(render(Map.of()), SECRET), "random per install");

        Map<String, Object> redis = redisContainer(manifest);
        List<String> secretRef = List.of(SECRET, "REDIS_PASSWORD");
        assertEquals(Optional.of(secretRef), secretRef(redis, "REDIS_PASSWORD"));
        assertEquals(Optional.of(secretRef), secretRef(redis, "REDISCLI_AUTH"), "redis-cli (the probes) signs in");
        assertFalse(String.valueOf(redis.get("args")).contains("protected-mode"), "protected mode stays on");
        assertFalse(String.valueOf(redis.get("args")).contains("--requirepass"), "no password on the command line");
        for (String component : List.of("gateway", "api")) {
            assertEquals(Optional.of(secretRef), secretRef(serviceContainer(manifest, component), "REDIS_PASSWORD"),
                    component);
        }
        assertEquals(Optional.empty(), secretRef(serviceContainer(manifest, "balancer"), "REDIS_PASSWORD"),
                "the balancer does not use Redis");
    }

    @Test
    void anUpgradeKeepsThePasswordRedisWasStartedWith() {
        ApiServerStandIn.serve(new SecretBuilder().withNewMetadata().withName(SECRET)
                .withNamespace(ChartUnderTest.NAMESPACE).endMetadata()
                .addToData("REDIS_PASSWORD", Base64.getEncoder().encodeToString(
                        "from-the-first-install".getBytes(StandardCharsets.UTF_8)))
                .build());
        assertEquals("from-the-first-install", password(render(Map.of()), SECRET));
    }

    @Test
    void aGivenPasswordWinsAndAnExistingSecretReplacesTheChartsOwn() {
        assertEquals("given-password", password(render(Map.of("redis.auth.password", "given-password")), SECRET));

        Manifest existing = render(Map.of("redis.auth.existingSecret", "mine", "redis.auth.existingSecretKey", "redis"));
        assertTrue(existing.find("Secret", SECRET).isEmpty(), "no Redis Secret of the chart's own");
        List<String> mine = List.of("mine", "redis");
        assertEquals(Optional.of(mine), secretRef(redisContainer(existing), "REDIS_PASSWORD"));
        assertEquals(Optional.of(mine), secretRef(serviceContainer(existing, "gateway"), "REDIS_PASSWORD"));
    }

    @Test
    void anExternalRedisGetsAPasswordOnlyWhenOneIsGiven() {
        Manifest none = render(Map.of("redis.enabled", "false", "externalRedis.host", "redis.example.internal"));
        assertTrue(none.find("Secret", SECRET).isEmpty());
        assertTrue(none.find("StatefulSet", STATEFUL_SET).isEmpty());
        assertEquals(Optional.empty(), secretRef(serviceContainer(none, "gateway"), "REDIS_PASSWORD"));
        assertEquals(null, configMap(none, "gateway").get("REDIS_URL"), "plain redis:// from host and port");

        Manifest given = render(Map.of("redis.enabled", "false", "externalRedis.host", "redis.example.internal",
                "redis.auth.password", "external-password"));
        assertEquals("external-password", password(given, SECRET));
        assertEquals(Optional.of(List.of(SECRET, "REDIS_PASSWORD")),
                secretRef(serviceContainer(given, "api"), "REDIS_PASSWORD"));
    }

    @Test
    void anExternalRedisOverTlsIsReachedWithRedissAndTheCaFromItsSecret() {
        // ci/production-values.yaml: external Redis, TLS with a CA Secret, the password in the existing Secret
        Manifest manifest = Renders.chartProduction();
        assertTrue(manifest.find("Secret", SECRET).isEmpty());
        for (String component : List.of("gateway", "api")) {
            Map<String, String> config = configMap(manifest, component);
            assertEquals("rediss://redis-master.cache.svc.cluster.local:6379", config.get("REDIS_URL"), component);
            Path ca = Path.of(config.get("REDIS_TLS_CA"));

            Map<String, Object> container = serviceContainer(manifest, component);
            assertEquals(Optional.of(List.of("scalable-api-secrets", "REDIS_PASSWORD")),
                    secretRef(container, "REDIS_PASSWORD"), component);
            Map<String, Object> mount = Manifest.list(container.get("volumeMounts")).stream()
                    .filter(m -> ca.getParent().toString().equals(m.get("mountPath"))).findFirst()
                    .orElseThrow(() -> new AssertionError(component + " mounts nothing at " + ca.getParent()));
            assertEquals(true, mount.get("readOnly"));
            Map<String, Object> volume = Manifest.list(at(deployment(manifest, component), "spec.template.spec.volumes"))
                    .stream().filter(v -> mount.get("name").equals(v.get("name"))).findFirst().orElseThrow();
            assertEquals("redis-ca", at(volume, "secret.secretName"));
            assertEquals(List.of(Map.of("key", "ca.crt", "path", ca.getFileName().toString())),
                    at(volume, "secret.items"));
        }
    }

    /**
     * The container's own script, run with a password holding a quote, a backslash, a space and a dollar sign:
     * redis-server refuses clients without it and its probe passes only with it. A shim puts the server and the
     * probe's redis-cli on a free port (the script uses Redis' default one, where the test machine's Redis runs).
     */
    @Test
    void theRedisContainerRequiresThePasswordAndItsReadinessProbeSignsIn(@TempDir Path dir) throws Exception {
        Map<String, Object> redis = redisContainer(Renders.chartDefaults());
        List<String> command = strings(redis.get("command"));
        assertEquals(List.of("sh", "-c"), command);
        String script = strings(redis.get("args")).get(0);
        List<String> probe = strings(at(redis, "readinessProbe.exec.command"));

        int port = FreePorts.take();
        shim(dir, "redis-server", "exec /usr/bin/redis-server \"$@\" --port " + port + " --bind 127.0.0.1 --dir " + dir);
        shim(dir, "redis-cli", "exec /usr/bin/redis-cli -p " + port + " \"$@\"");
        String password = "p\"a\\ss w$rd";
        ProcessBuilder server = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile());
        environment(server, dir, password);
        Process redisServer = server.start();
        List<String> ping = List.of(dir.resolve("redis-cli").toString(), "ping");
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> run(ping, dir, password).output().equals("PONG"));
            assertTrue(run(ping, dir, null).output().contains("NOAUTH"), "no password, no answer");
            assertEquals(0, run(probe, dir, password).exitCode(), "the probe passes with the password");
            assertNotEquals(0, run(probe, dir, "wrong").exitCode(), "and only with it");
        } finally {
            redisServer.destroy();
            redisServer.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private record Run(int exitCode, String output) {
    }

    /**
     * Runs with the shims first on the PATH (for the commands the process starts: Java looks its own up in the
     * test's PATH) and REDISCLI_AUTH / REDIS_PASSWORD set to the password, if any.
     */
    private static Run run(List<String> command, Path dir, String password) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        environment(builder, dir, password);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        return new Run(process.exitValue(), output);
    }

    private static void environment(ProcessBuilder builder, Path dir, String password) {
        Map<String, String> env = builder.environment();
        env.put("PATH", dir + ":" + env.get("PATH"));
        env.remove("REDISCLI_AUTH");
        if (password != null) {
            env.put("REDIS_PASSWORD", password);
            env.put("REDISCLI_AUTH", password);
        }
    }

    private static void shim(Path dir, String name, String line) {
        try {
            Path file = dir.resolve(name);
            Files.writeString(file, "#!/bin/sh\n" + line + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Manifest render(Map<String, Object> values) {
        return Manifest.of("redis " + values, ChartUnderTest.render(null, values));
    }

    private static String password(Manifest manifest, String secret) {
        return Manifest.stringMap(manifest.get("Secret", secret).get("stringData")).get("REDIS_PASSWORD");
    }

    private static Map<String, Object> redisContainer(Manifest manifest) {
        return Manifest.container(manifest.get("StatefulSet", STATEFUL_SET), "redis").orElseThrow();
    }

    private static Map<String, Object> deployment(Manifest manifest, String component) {
        return manifest.get("Deployment", ChartUnderTest.RELEASE + "-" + component);
    }

    private static Map<String, Object> serviceContainer(Manifest manifest, String component) {
        return Manifest.container(deployment(manifest, component), component).orElseThrow();
    }

    private static Map<String, String> configMap(Manifest manifest, String component) {
        return Manifest.stringMap(manifest.get("ConfigMap", ChartUnderTest.RELEASE + "-" + component).get("data"));
    }

    /** The Secret name and key an env entry reads, if the container has it. */
    private static Optional<List<String>> secretRef(Map<String, Object> container, String variable) {
        return Manifest.list(container.get("env")).stream().filter(e -> variable.equals(e.get("name"))).findFirst()
                .map(e -> List.of((String) at(e, "valueFrom.secretKeyRef.name"),
                        (String) at(e, "valueFrom.secretKeyRef.key")));
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        return (List<String>) value;
    }
}
