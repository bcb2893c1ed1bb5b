package dev.scalableapi.bench.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds the processes of a benchmark or drill stack: the packaged service jars in the production profile (no
 * dev seed), and the reference balancers NGINX and HAProxy. Every process gets its own port from the caller;
 * none of the ports of {@code scripts/run} is used.
 */
public final class Launcher {

    private final Path root;
    private final Path runDir;
    private final Map<String, String> serviceEnvironment;

    /**
     * {@code root}: the repository; {@code runDir}: logs and generated configs; {@code database}: where the
     * services keep their tables.
     */
    public Launcher(Path root, Path runDir, Database database, int redisPort, String signingSecret) {
        this.root = root;
        this.runDir = runDir;
        clearLogs(runDir.resolve("logs"));
        this.serviceEnvironment = Map.of(
                "QUARKUS_PROFILE", "prod",
                "POSTGRES_HOST", database.host(),
                "POSTGRES_PORT", Integer.toString(database.port()),
                "POSTGRES_DB", database.name(),
                "POSTGRES_USER", database.user(),
                "POSTGRES_PASSWORD", database.password(),
                "REDIS_HOST", "127.0.0.1",
                "REDIS_PORT", Integer.toString(redisPort),
                "IDENTITY_SIGNING_SECRET", signingSecret);
    }

    public Path runDir() {
        return runDir;
    }

    /**
     * Each service's management port (health, metrics) is its traffic port plus this: api 13001 → 14001, gateway
     * 18080 → 19080, and so on.
     */
    public static final int MANAGEMENT_OFFSET = 1000;

    public static int managementPort(int port) {
        return port + MANAGEMENT_OFFSET;
    }

    public ManagedProcess api(String name, int port) {
        return service(name, "api-service", port, Map.of("INSTANCE_ID", name));
    }

    public ManagedProcess balancer(String name, int port, List<Integer> apiPorts) {
        String servers = apiPorts.stream().map(p -> "http://127.0.0.1:" + p + ";health-port=" + managementPort(p))
                .collect(Collectors.joining(","));
        return service(name, "balancer-service", port, Map.of("API_SERVERS", servers));
    }

    /** {@code balancerPorts} in failover order; {@code extra} overrides (e.g. the limiter switched off). */
    public ManagedProcess gateway(String name, int port, List<Integer> balancerPorts, Map<String, String> extra) {
        Map<String, String> environment = new HashMap<>(extra);
        environment.put("INSTANCE_ID", name);
        environment.put("BALANCER_URL",
                balancerPorts.stream().map(p -> "http://127.0.0.1:" + p + ";health-port=" + managementPort(p))
                        .collect(Collectors.joining(",")));
        return service(name, "gateway-service", port, environment);
    }

    public ManagedProcess redis(int port) {
        return new ManagedProcess("redis", port, List.of("redis-server", "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no"), Map.of(), logs());
    }

    /** NGINX in the balancer's place: least_conn over the replicas, keep-alive connections to them. */
    public ManagedProcess nginx(int port, List<Integer> apiPorts) {
        Path dir = runDir.resolve("nginx");
        String servers = apiPorts.stream().map(p -> "    server 127.0.0.1:" + p + ";\n").collect(Collectors.joining());
        write(dir.resolve("nginx.conf"), """
                worker_processes auto;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 4096; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/tmp/body;
                  proxy_temp_path %1$s/tmp/proxy;
                  fastcgi_temp_path %1$s/tmp/fastcgi;
                  uwsgi_temp_path %1$s/tmp/uwsgi;
                  scgi_temp_path %1$s/tmp/scgi;
                  client_max_body_size 1m;
                  upstream api {
                    least_conn;
                %2$s    keepalive 128;
                  }
                  server {
                    listen 127.0.0.1:%3$d;
                    location / {
                      proxy_pass http://api;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_set_header Host $host;
                    }
                  }
                }
                """.formatted(dir, servers, port));
        return new ManagedProcess("nginx", port, List.of("nginx", "-p", dir.toString(), "-c",
                dir.resolve("nginx.conf").toString()), Map.of(), logs());
    }

    /** HAProxy in the balancer's place: leastconn, connection reuse towards the replicas. */
    public ManagedProcess haproxy(int port, List<Integer> apiPorts) {
        Path dir = runDir.resolve("haproxy");
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < apiPorts.size(); i++) {
            servers.append("  server api").append(i + 1).append(" 127.0.0.1:").append(apiPorts.get(i)).append('\n');
        }
        write(dir.resolve("haproxy.cfg"), """
                global
                  maxconn 4096
                  nbthread 2
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 30s
                  timeout server 30s
                  option http-keep-alive
                  http-reuse always
                frontend bench
                  bind 127.0.0.1:%d
                  default_backend api
                backend api
                  balance leastconn
                %s""".formatted(port, servers));
        return new ManagedProcess("haproxy", port, List.of("haproxy", "-db", "-f",
                dir.resolve("haproxy.cfg").toString()), Map.of(), logs());
    }

    private ManagedProcess service(String name, String module, int port, Map<String, String> extra) {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " missing: build first (./mvnw package -DskipTests)");
        }
        Map<String, String> environment = new HashMap<>(serviceEnvironment);
        environment.putAll(extra);
        environment.put("PORT", Integer.toString(port));
        environment.put("MANAGEMENT_PORT", Integer.toString(managementPort(port)));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions());
        Path gcLog = logs().resolve(name + "-gc.log");
        command.add(GcPauses.logOption(gcLog));
        command.addAll(List.of("-jar", jar.toString()));
        return new ManagedProcess(name, port, command, environment, logs()).withManagementPort(managementPort(port))
                .withGcLog(gcLog);
    }

    /** The JVM settings {@code scripts/run} uses too ({@code scripts/lib/jvm-options}), so the bench measures them. */
    public List<String> jvmOptions() {
        try {
            return List.of(Files.readString(root.resolve("scripts/lib/jvm-options")).trim().split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path logs() {
        return runDir.resolve("logs");
    }

    /** Each run starts its logs afresh (within a run, a restarted process appends to its own log). */
    private static void clearLogs(Path dir) {
        try (var logs = Files.list(dir)) {
            for (Path log : logs.toList()) {
                Files.delete(log);
            }
        } catch (java.nio.file.NoSuchFileException none) {
            // first run
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent().resolve("tmp"));
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
