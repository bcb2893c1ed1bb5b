package dev.scalableapi.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private {@code redis-server} that requires a password, on a free port, optionally speaking only TLS: a CA
 * and a server certificate for {@code localhost} and {@code 127.0.0.1} are made with {@code openssl} at start.
 * It listens on 127.0.0.1 and 127.0.0.2, so a TLS client that checks the host name can be shown to refuse the
 * second address. The password reaches the server as a config line on its stdin, as in the chart, never on its
 * command line. No persistence; the process and its files are removed on {@link #close()}.
 */
public final class SecuredRedis implements AutoCloseable {

    private static final Duration START_DEADLINE = Duration.ofSeconds(20);

    private final Path dir;
    private final boolean tls;
    private final int port;
    private final Process process;
    private volatile String password;

    private SecuredRedis(Path dir, boolean tls, int port, Process process, String password) {
        this.dir = dir;
        this.tls = tls;
        this.port = port;
        this.process = process;
        this.password = password;
    }

    /** Plain TCP, password required. */
    public static SecuredRedis withPassword() {
        return start(false);
    }

    /** TLS only ({@code --port 0}), password required. */
    public static SecuredRedis withPasswordAndTls() {
        return start(true);
    }

    private static SecuredRedis start(boolean tls) {
        Path dir;
        try {
            dir = Files.createTempDirectory("secured-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // A quote, a backslash and a space: the config line must escape them.
        String password = "pw \"" + UUID.randomUUID() + "\\";
        int port = FreePorts.take();
        List<String> command = new ArrayList<>(List.of("redis-server", "-",
                "--bind", "127.0.0.1", "127.0.0.2", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        if (tls) {
            makeCertificates(dir);
            command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port),
                    "--tls-cert-file", dir.resolve("server.pem").toString(),
                    "--tls-key-file", dir.resolve("server.key").toString(),
                    "--tls-ca-cert-file", dir.resolve("ca.pem").toString(),
                    "--tls-auth-clients", "no"));
        } else {
            command.addAll(List.of("--port", Integer.toString(port)));
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
            try (OutputStream config = process.getOutputStream()) {
                config.write(("requirepass \"" + password.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            SecuredRedis redis = new SecuredRedis(dir, tls, port, process, password);
            await().atMost(START_DEADLINE).pollInterval(Duration.ofMillis(50))
                    .until(() -> redis.cli("PING").equals("PONG"));
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server", e);
        }
    }

    public int port() {
        return port;
    }

    /** The password the server requires now. */
    public String password() {
        return password;
    }

    /** The CA that signed the server's certificate (PEM); TLS servers only. */
    public Path caFile() {
        if (!tls) {
            throw new IllegalStateException("a plain server has no certificate");
        }
        return dir.resolve("ca.pem");
    }

    /** {@code redis://host:port}, or {@code rediss://} for a TLS server. */
    public String url(String host) {
        return (tls ? "rediss://" : "redis://") + host + ":" + port;
    }

    /** One redis-cli command as the default user (over TLS for a TLS server); its output, trimmed. */
    public String cli(String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        if (tls) {
            command.addAll(List.of("--tls", "--cacert", caFile().toString()));
        }
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("REDISCLI_AUTH", password); // not -a: that would show it in ps
        try {
            Process cli = builder.start();
            byte[] out = cli.getInputStream().readAllBytes();
            if (!cli.waitFor(10, TimeUnit.SECONDS)) {
                cli.destroyForcibly();
                throw new IllegalStateException("redis-cli " + args[0] + " did not finish");
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes the server require another password and closes every other connection of the default user, as a
     * rotation done on the server alone would: clients then reconnect and fail to authenticate.
     */
    public void requirePassword(String newPassword) {
        String reply = cli("CONFIG", "SET", "requirepass", newPassword);
        if (!reply.equals("OK")) {
            throw new IllegalStateException("CONFIG SET requirepass: " + reply);
        }
        password = newPassword;
        cli("CLIENT", "KILL", "USER", "default");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp directory
        }
    }

    /** A throw-away CA and a server certificate it signed, naming localhost and 127.0.0.1 only. */
    private static void makeCertificates(Path dir) {
        String ec = "ec_paramgen_curve:prime256v1";
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-days", "2",
                "-subj", "/CN=scalable-api test CA", "-keyout", "ca.key", "-out", "ca.pem",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-subj", "/CN=localhost",
                "-keyout", "server.key", "-out", "server.csr");
        try {
            Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "server.ext", "-out", "server.pem");
    }

    private static void openssl(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
