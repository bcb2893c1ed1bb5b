package dev.scalableapi.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Quarkus service ({@code <module>/target/quarkus-app/quarkus-run.jar}) running as a child JVM on a
 * free loopback port, with its management interface (health, metrics) on another ({@code MANAGEMENT_PORT}),
 * configured by system properties and environment variables on top of the inherited environment, with stdout and
 * stderr in one log file. Tests start it with {@link #of(Path, String)}, wait with
 * {@link #awaitReady(Duration)} and stop it with {@link #stop()} (or try-with-resources).
 */
public final class PackagedJar implements AutoCloseable {

    /** HTTP/1.1 as probes and scrapers speak it: no h2c upgrade on every request. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration KILL_DEADLINE = Duration.ofSeconds(10);
    private static final int TAIL_LINES = 40;

    private final String name;
    private final int port;
    private final int managementPort;
    private final Process process;
    private final Path log;
    private final Duration stopGrace;

    private PackagedJar(String name, int port, int managementPort, Process process, Path log, Duration stopGrace) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
        this.log = log;
        this.stopGrace = stopGrace;
    }

    /** A launch of {@code jar}, called {@code name} in messages; its log defaults to {@code target/<name>.log}. */
    public static Launch of(Path jar, String name) {
        return new Launch(jar, name);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Where health, metrics and OpenAPI answer. */
    public int managementPort() {
        return managementPort;
    }

    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /**
     * This service as the hop in front sees it: an entry of the balancer's {@code API_SERVERS} or the gateway's
     * {@code BALANCER_URL}, whose health checks go to its management port.
     */
    public String upstreamUrl() {
        return url() + ";health-port=" + managementPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /**
     * Polls {@code /q/health/ready} on the management port until it answers 200; fails with the log's tail as soon as the process exits,
     * or when the deadline passes.
     */
    public PackagedJar awaitReady(Duration deadline) {
        await(name + " ready").atMost(deadline).pollInterval(POLL).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                return getManagement("/q/health/ready", Map.of()).statusCode() == 200;
            } catch (IOException notListeningYet) {
                return false;
            }
        });
        return this;
    }

    /** Waits for the process to end on its own; its exit code. */
    public int awaitExit(Duration deadline) throws InterruptedException {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + deadline + ":\n" + tail());
        }
        return process.exitValue();
    }

    public HttpResponse<String> get(String path, Map<String, String> headers) throws IOException {
        return send(url() + path, headers);
    }

    /** A GET on the management port: {@code /q/health/…}, {@code /q/metrics}. */
    public HttpResponse<String> getManagement(String path, Map<String, String> headers) throws IOException {
        return send(managementUrl() + path, headers);
    }

    private static HttpResponse<String> send(String url, Map<String, String> headers) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Everything the process logged so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM, so the service shuts down as in a pod; SIGKILL if it has not exited within the grace period. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(KILL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** What to start: where the port goes, the profile, properties, environment, log file and stop grace. */
    public static final class Launch {

        private final Path jar;
        private final String name;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private String profile;
        private String portProperty;
        private String portVariable;
        private Path log;
        private Duration stopGrace = Duration.ofSeconds(15);

        private Launch(Path jar, String name) {
            this.jar = jar;
            this.name = name;
            this.log = Path.of("target", name + ".log");
        }

        /**
         * Runs in this Quarkus profile. Each {@link #property} is then also set with the profile's prefix: a
         * {@code %test.x} in application.properties would otherwise win over a plain {@code -Dx}.
         */
        public Launch profile(String profile) {
            this.profile = profile;
            return this;
        }

        /** The free port is passed as this system property, e.g. {@code quarkus.http.port}. */
        public Launch portProperty(String name) {
            this.portProperty = name;
            return this;
        }

        /** The free port is passed in this environment variable, e.g. {@code PORT}. */
        public Launch portVariable(String name) {
            this.portVariable = name;
            return this;
        }

        public Launch property(String name, String value) {
            properties.put(name, value);
            return this;
        }

        /** {@code name=value} pairs. */
        public Launch properties(List<String> pairs) {
            for (String pair : pairs) {
                int equals = pair.indexOf('=');
                if (equals < 1) {
                    throw new IllegalArgumentException("not name=value: " + pair);
                }
                property(pair.substring(0, equals), pair.substring(equals + 1));
            }
            return this;
        }

        public Launch env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public Launch env(Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        public Launch log(Path log) {
            this.log = log;
            return this;
        }

        /** How long {@link PackagedJar#stop()} waits after SIGTERM before it kills. */
        public Launch stopGrace(Duration grace) {
            this.stopGrace = grace;
            return this;
        }

        public PackagedJar start() {
            if (!Files.isRegularFile(jar)) {
                throw new AssertionError(jar.toAbsolutePath()
                        + " missing: package the service first (./mvnw verify builds the modules in order)");
            }
            if (portProperty == null && portVariable == null) {
                throw new IllegalStateException(name + ": say where the port goes (portProperty or portVariable)");
            }
            int port = FreePorts.take();
            int managementPort = FreePorts.take();
            Map<String, String> systemProperties = new LinkedHashMap<>(properties);
            if (portProperty != null) {
                systemProperties.put(portProperty, Integer.toString(port));
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1"));
            if (profile != null) {
                command.add("-Dquarkus.profile=" + profile);
            }
            systemProperties.forEach((property, value) -> {
                command.add("-D" + property + "=" + value);
                if (profile != null) {
                    command.add("-D%" + profile + "." + property + "=" + value);
                }
            });
            command.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().putAll(environment);
            builder.environment().put("MANAGEMENT_PORT", Integer.toString(managementPort));
            if (portVariable != null) {
                builder.environment().put(portVariable, Integer.toString(port));
            }
            try {
                Files.createDirectories(log.toAbsolutePath().getParent());
                return new PackagedJar(name, port, managementPort, builder.start(), log, stopGrace);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name, e);
            }
        }
    }
}
