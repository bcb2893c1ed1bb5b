package dev.scalableapi.gateway.ratelimit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Private redis-server processes for tests (own ports, no persistence), always torn down by the test. */
final class RedisServers implements AutoCloseable {

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();

    RedisServers() {
        try {
            dir = Files.createTempDirectory("ratelimit-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a standalone server and waits until it answers PING. */
    Process standalone(int port) {
        Process process = start(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString()), port);
        awaitPing(port);
        return process;
    }

    /** Starts three cluster nodes, creates the cluster and waits for cluster_state:ok on every node. */
    List<Integer> cluster() {
        List<Integer> ports = List.of(freePort(), freePort(), freePort());
        for (int port : ports) {
            start(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString(),
                    "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString()), port);
        }
        for (int port : ports) {
            awaitPing(port);
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        ports.forEach(p -> create.add("127.0.0.1:" + p));
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        String out = run(create);
        if (!out.contains("[OK] All 16384 slots covered")) {
            throw new IllegalStateException("cluster create failed: " + out);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> ports.stream()
                .allMatch(p -> run(List.of("redis-cli", "-p", Integer.toString(p), "cluster", "info"))
                        .contains("cluster_state:ok")));
        return ports;
    }

    void pause(Process process) {
        signal(process, "-STOP");
    }

    void resume(Process process) {
        signal(process, "-CONT");
    }

    void kill(Process process) {
        signal(process, "-CONT");
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (Process process : processes) {
            if (process.isAlive()) {
                kill(process);
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp directory
        }
    }

    private Process start(List<String> command, int port) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis-" + port + ".log").toFile())
                    .start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitPing(int port) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] reply = new byte[7];
                int read = socket.getInputStream().read(reply);
                return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
            }
        });
    }

    private static void signal(Process process, String signal) {
        run(List.of("kill", signal, Long.toString(process.pid())));
    }
}
