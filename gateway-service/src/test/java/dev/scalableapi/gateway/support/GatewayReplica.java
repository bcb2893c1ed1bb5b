package dev.scalableapi.gateway.support;

import dev.scalableapi.testsupport.PackagedJar;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One gateway JVM started from the packaged jar in the test profile, on a free port, sharing the build's
 * PostgreSQL and Redis (environment inherited). For integration tests ({@code *IT}, run by failsafe after
 * packaging); its log goes to {@code target/<id>.log}.
 */
public final class GatewayReplica {

    private static final Duration START_DEADLINE = Duration.ofSeconds(90);

    private final PackagedJar process;

    private GatewayReplica(PackagedJar process) {
        this.process = process;
    }

    /** {@code extraProperties} are {@code name=value} pairs, applied with and without the %test prefix. */
    public static GatewayReplica start(String id, String upstreamUrl, List<String> extraProperties) {
        return new GatewayReplica(PackagedJar.of(Path.of("target", "quarkus-app", "quarkus-run.jar"), id)
                .profile("test")
                .portProperty("quarkus.http.port")
                .property("gateway.instance.id", id)
                // migrate, never wipe: the other replica shares the database
                .property("quarkus.flyway.clean-at-start", "false")
                .property("gateway.upstream.url", upstreamUrl)
                .property("quarkus.shutdown.timeout", "2s")
                .properties(extraProperties)
                .start());
    }

    public String baseUri() {
        return process.url();
    }

    public void awaitReady() {
        process.awaitReady(START_DEADLINE);
    }

    /** Waits for the process to end on its own; its exit code. */
    public int awaitExit(Duration deadline) throws InterruptedException {
        return process.awaitExit(deadline);
    }

    /** Everything the replica logged so far. */
    public String log() {
        return process.log();
    }

    public void stop() {
        process.stop();
    }
}
