package dev.scalableapi.bench.wrk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One closed-loop wrk run (as many requests as {@code connections} keep in flight) with {@code wrk/bench.lua}.
 * This measures throughput; its latencies are those of a closed loop (coordinated omission applies), so the
 * fixed-rate runs, not these, are the latency figures.
 */
public final class WrkRun {

    /** Figures of one run; latencies in ms; {@code errors}: socket errors plus non-2xx/3xx statuses. */
    public record Result(String name, int connections, double seconds, long requests, double requestsPerSecond,
            long errors, long statusErrors, long timeouts, double p50, double p90, double p99, double p999,
            double max) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARKER = "BENCH_JSON ";

    private final Path script;

    public WrkRun(Path workDir) {
        try (InputStream lua = WrkRun.class.getResourceAsStream("/wrk/bench.lua")) {
            Files.createDirectories(workDir);
            script = workDir.resolve("bench.lua");
            Files.write(script, lua.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Result run(String name, int port, int connections, int seconds, Map<String, String> environment) {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s",
                "--timeout", "10s", "-s", script.toString(), "http://127.0.0.1:" + port));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process wrk = builder.start();
            String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!wrk.waitFor(seconds + 30L, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
                throw new IllegalStateException("wrk failed: " + output);
            }
            return parse(name, connections, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Result parse(String name, int connections, String output) throws IOException {
        String line = output.lines().filter(l -> l.startsWith(MARKER)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + MARKER.trim() + " line in wrk output:\n" + output));
        JsonNode n = JSON.readTree(line.substring(MARKER.length()));
        double seconds = n.get("durationUs").asLong() / 1e6;
        long requests = n.get("requests").asLong();
        long socketErrors = n.get("connectErrors").asLong() + n.get("readErrors").asLong()
                + n.get("writeErrors").asLong() + n.get("timeouts").asLong();
        long statusErrors = n.get("statusErrors").asLong();
        return new Result(name, connections, seconds, requests, requests / seconds, socketErrors + statusErrors,
                statusErrors, n.get("timeouts").asLong(), ms(n, "p50Us"), ms(n, "p90Us"), ms(n, "p99Us"),
                ms(n, "p999Us"), ms(n, "maxUs"));
    }

    private static double ms(JsonNode n, String field) {
        return n.get(field).asLong() / 1000.0;
    }
}
