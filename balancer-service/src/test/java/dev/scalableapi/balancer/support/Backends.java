package dev.scalableapi.balancer.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Starts {@value #COUNT} real backends (on their own Vert.x, in the test JVM) before Quarkus, and points the
 * balancer at them with health/outlier timings short enough for tests. Tests reach them through
 * {@link #get(int)} / {@link #all()} and call {@link #resetAll()} before each test.
 */
public class Backends implements QuarkusTestResourceLifecycleManager {

    public static final int COUNT = 3;
    /** Longest wait for the first byte of a response; the timeout test relies on it. */
    public static final long FIRST_BYTE_TIMEOUT_MILLIS = 2_000;

    private static volatile Vertx vertx;
    private static final List<TestBackend> BACKENDS = new ArrayList<>();

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        BACKENDS.clear();
        for (int i = 1; i <= COUNT; i++) {
            TestBackend backend = new TestBackend(vertx, i, freePort(), freePort());
            backend.start();
            BACKENDS.add(backend);
        }
        Map<String, String> config = new HashMap<>();
        config.put("balancer.endpoints.mode", "static");
        config.put("balancer.endpoints.servers",
                BACKENDS.stream().map(b -> "http://" + b.id() + ";health-port=" + b.managementPort())
                        .collect(Collectors.joining(",")));
        config.put("balancer.health.interval", "200ms");
        config.put("balancer.health.timeout", "500ms");
        config.put("balancer.outlier.consecutive-failures", "3");
        config.put("balancer.outlier.base-ejection-time", "1s");
        config.put("balancer.outlier.max-ejection-time", "3s");
        config.put("balancer.proxy.connect-timeout", "500ms");
        config.put("balancer.proxy.first-byte-timeout", FIRST_BYTE_TIMEOUT_MILLIS + "ms");
        config.put("balancer.proxy.total-timeout", "20s");
        return config;
    }

    @Override
    public void stop() {
        BACKENDS.forEach(TestBackend::kill);
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    public static TestBackend get(int index) {
        return BACKENDS.get(index - 1);
    }

    public static List<TestBackend> all() {
        return List.copyOf(BACKENDS);
    }

    public static TestBackend byName(String name) {
        return BACKENDS.stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
    }

    public static void resetAll() {
        BACKENDS.forEach(TestBackend::reset);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
