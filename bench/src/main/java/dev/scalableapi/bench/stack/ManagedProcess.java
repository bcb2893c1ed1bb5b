package dev.scalableapi.bench.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process the harness started and therefore may stop: a service jar, NGINX, HAProxy, Redis. Output goes to
 * {@code <logDir>/<name>.log} (appended, so a restart keeps the earlier lines).
 */
public final class ManagedProcess {

    private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");

    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final int port;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private int managementPort;
    private Path gcLog;
    private Process process;

    public ManagedProcess(String name, int port, List<String> command, Map<String, String> environment,
            Path logDir) {
        this.name = name;
        this.port = port;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.log = logDir.resolve(name + ".log");
    }

    /** A Quarkus service: its health answers on this port, not on its traffic port. */
    public ManagedProcess withManagementPort(int port) {
        this.managementPort = port;
        return this;
    }

    /** A JVM that logs its collections there ({@link GcPauses#logOption}). */
    public ManagedProcess withGcLog(Path log) {
        this.gcLog = log;
        return this;
    }

    public Optional<Path> gcLog() {
        return Optional.ofNullable(gcLog);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** What a Quarkus service logged as its start-up time ("started in 1.234s"), if it has. */
    public Optional<Double> startedInSeconds() {
        try (var lines = Files.lines(log)) {
            return lines.map(STARTED::matcher).filter(Matcher::find).findFirst()
                    .map(m -> Double.parseDouble(m.group(1)));
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** The last line the process wrote (a JVM's reason to exit, say), or "" when it wrote none. */
    public String lastLogLine() {
        try (var lines = Files.lines(log)) {
            return lines.reduce((first, second) -> second).orElse("").strip();
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public ManagedProcess start() {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Polls a Quarkus service's {@code /q/health/ready} on its management port until it answers 200. */
    public ManagedProcess awaitReady(Duration deadline) {
        if (managementPort == 0) {
            throw new IllegalStateException(name + " has no management port");
        }
        return awaitHttp(managementPort, "/q/health/ready", deadline);
    }

    /** Polls {@code http://127.0.0.1:<port><path>} until it answers 200; fails fast if the process died. */
    public ManagedProcess awaitHttp(String path, Duration deadline) {
        return awaitHttp(port, path, deadline);
    }

    private ManagedProcess awaitHttp(int port, String path, Duration deadline) {
        long until = System.nanoTime() + deadline.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < until) {
            if (!alive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (PROBE.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " not ready on :" + port + path + " within " + deadline + "; see " + log);
    }

    /** Polls until something accepts TCP connections on the port (for servers that do not speak HTTP). */
    public ManagedProcess awaitPort(Duration deadline) {
        long until = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < until) {
            if (!alive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return this;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        throw new IllegalStateException(name + " not listening on :" + port + " within " + deadline);
    }

    /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
    public void stop(Duration grace) {
        if (!alive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** SIGKILL, no goodbye: the fault drills' crash. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
