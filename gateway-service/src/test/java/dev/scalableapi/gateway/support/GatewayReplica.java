package dev.scalableapi.gateway.support;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One gateway JVM started from the packaged jar in the test profile, on a free port, sharing the build's
 * PostgreSQL and Redis (environment inherited). For integration tests ({@code *IT}, run by failsafe after
 * packaging); its log goes to {@code target/<id>.log}.
 */
public final class GatewayReplica {

    private static final Duration START_DEADLINE = Duration.ofSeconds(90);

    private final String id;
    private final int port;
    private final Process process;
    private final Path log;

    private GatewayReplica(String id, int port, Process process, Path log) {
        this.id = id;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** {@code extraProperties} are {@code name=value} pairs, applied with and without the %test prefix. */
    public static GatewayReplica start(String id, String upstreamUrl, List<String> extraProperties) {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertTrue(Files.isRegularFile(jar), jar.toAbsolutePath() + " missing: run 'mvn verify' (package first)");
        int port = freePort();
        Path log = Path.of("target", id + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> properties = new ArrayList<>(List.of(
                "quarkus.http.port=" + port,
                "gateway.instance.id=" + id,
                // migrate, never wipe: the other replica shares the database
                "quarkus.flyway.clean-at-start=false",
                "gateway.upstream.url=" + upstreamUrl,
                "quarkus.shutdown.timeout=2s"));
        properties.addAll(extraProperties);
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.profile=test"));
        for (String property : properties) {
            command.add("-D" + property);
            command.add("-D%test." + property);
        }
        command.addAll(List.of("-jar", jar.toString()));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            return new GatewayReplica(id, port, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    public void awaitReady() {
        await("readiness of " + id).atMost(START_DEADLINE).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError(id + " exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                return RestAssured.given().baseUri(baseUri()).get("/q/health/ready").statusCode() == 200;
            } catch (Exception notListeningYet) {
                return false;
            }
        });
    }

    /** Waits for the process to end on its own; its exit code. */
    public int awaitExit(Duration deadline) throws InterruptedException {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(id + " still running after " + deadline + ":\n" + tail());
        }
        return process.exitValue();
    }

    /** Everything the replica logged so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
