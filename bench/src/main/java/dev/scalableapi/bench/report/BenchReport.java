package dev.scalableapi.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.scalableapi.bench.report.BenchResults.Scenario;
import dev.scalableapi.bench.report.BenchResults.Usage;
import dev.scalableapi.bench.wrk.WrkRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Writes {@code report.md}, {@code results.json}, {@code latency.svg} and {@code throughput.svg}. */
public final class BenchReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchReport() {
    }

    public static void write(BenchResults results, Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("results.json").toFile(), results);
        List<String> names = results.scenarios().stream().map(Scenario::id).toList();
        Files.writeString(dir.resolve("latency.svg"), BarChart.svg(
                "Latency at a fixed " + (int) results.settings().fixedRate() + " req/s (from intended send time)",
                "ms (log scale)", names, List.of(
                        series("p50", results, s -> s.fixed().p50()),
                        series("p90", results, s -> s.fixed().p90()),
                        series("p99", results, s -> s.fixed().p99()),
                        series("p99.9", results, s -> s.fixed().p999())), true));
        Files.writeString(dir.resolve("throughput.svg"), BarChart.svg(
                "Open throttle (wrk): best req/s with p99 < " + (int) results.settings().p99BudgetMs() + " ms",
                "requests/s", names, List.of(series("req/s", results,
                        s -> s.best() == null ? 0 : s.best().requestsPerSecond())), false));
        Files.writeString(dir.resolve("report.md"), markdown(results));
    }

    private static BarChart.Series series(String name, BenchResults results,
            java.util.function.ToDoubleFunction<Scenario> value) {
        return new BarChart.Series(name, results.scenarios().stream().map(s -> value.applyAsDouble(s)).toList());
    }

    static String markdown(BenchResults r) {
        StringBuilder md = new StringBuilder();
        var m = r.machine();
        var s = r.settings();
        md.append("# Benchmark ").append(r.startedAt()).append("\n\n");
        md.append("Command: `").append(r.command()).append("`  \n");
        md.append(String.format(Locale.ROOT, "Machine: %d cores, %d MB RAM, %s, %s. Load generator, wrk, every "
                + "service, NGINX, HAProxy, Redis and PostgreSQL all share these cores, so the figures are a lower "
                + "bound for any real deployment and are for comparing configurations side by side.%n%n",
                m.cores(), m.memoryMb(), m.java(), m.os()));
        md.append(String.format(Locale.ROOT, "Services: packaged jars, production profile (no dev seed), `-Xmx512m`, "
                + "defaults otherwise (gateway access log and request log on). Data: %,d resources; cached reads "
                + "cycle over %d hot ids; the bench key is enterprise tier with a per-key limit override so "
                + "throughput runs measure the stack, not refusals (the limiter still decides every request).%n%n",
                s.totalIds(), s.hotIds()));
        md.append("![latency](latency.svg) ![throughput](throughput.svg)\n\n");

        md.append(String.format(Locale.ROOT, "## Fixed rate: %d req/s for %d s%n%n", (int) s.fixedRate(),
                s.fixedSeconds()));
        md.append(String.format(Locale.ROOT, "Before any measurement every configuration and mix ran %d s at this "
                + "rate (JIT warm-up of every process on its path); each measurement follows 3 s of its own load.%n%n",
                s.warmupSeconds()));
        md.append("Open-model generator (wrk2-style pacing, HdrHistogram): latency counts from when each request "
                + "was due, so queueing behind a stall is not hidden (no coordinated omission).\n\n");
        md.append("| configuration | path | mix | ok req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors | "
                + "X-Cache |\n|---|---|---|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (Scenario sc : r.scenarios()) {
            var f = sc.fixed();
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.1f | %s | %s |%n",
                    sc.id(), sc.path(), sc.mix(), f.achievedRate(), f.p50(), f.p90(), f.p99(), f.p999(), f.max(),
                    errors(f.errors(), f.byStatus()), counts(f.byCache())));
        }
        Optional<Scenario> direct = find(r, "direct");
        if (direct.isPresent()) {
            md.append("\nAdded by the hops at p50, over calling one api replica directly: ");
            md.append(r.scenarios().stream().filter(sc -> sc.mix().equals("cached-get") && !sc.id().equals("direct"))
                    .map(sc -> String.format(Locale.ROOT, "%s %+.2f ms", sc.id(), sc.fixed().p50() - direct.get().fixed().p50()))
                    .collect(Collectors.joining(", ")));
            md.append(".\n");
        }

        md.append(String.format(Locale.ROOT, "%n## Open throttle (wrk, closed loop, %d s per level, 2 threads)%n%n",
                s.throttleSeconds()));
        md.append(String.format(Locale.ROOT, "Best = highest req/s among the connection levels %s whose p99 stayed "
                + "under %.0f ms with < 1%% errors. wrk's latencies are closed-loop (they understate the tail); use "
                + "the fixed-rate table for latency.%n%n", s.throttleConnections(), s.p99BudgetMs()));
        md.append("| configuration | mix | best req/s | at connections | p50 ms | p99 ms | errors | all levels (c: req/s, p99 ms) |\n"
                + "|---|---|---:|---:|---:|---:|---:|---|\n");
        for (Scenario sc : r.scenarios()) {
            String levels = sc.throttle().stream().map(t -> String.format(Locale.ROOT, "%d: %.0f, %.1f",
                    t.run().connections(), t.run().requestsPerSecond(), t.run().p99())).collect(Collectors.joining("; "));
            WrkRun.Result b = sc.best();
            if (b == null) {
                md.append(String.format(Locale.ROOT, "| %s | %s | none under budget | | | | | %s |%n", sc.id(), sc.mix(),
                        levels));
            } else {
                md.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %d | %.2f | %.2f | %d | %s |%n", sc.id(),
                        sc.mix(), b.requestsPerSecond(), b.connections(), b.p50(), b.p99(), b.errors(), levels));
            }
        }

        md.append("\n## Processes during the fixed-rate runs (CPU % of one core, RSS MB at the end)\n\n"
                + "NGINX and PostgreSQL are summed over their processes (PostgreSQL's shared buffers are counted in "
                + "each backend's RSS, so its figure overstates its memory).\n\n");
        TreeSet<String> processes = new TreeSet<>();
        r.scenarios().forEach(sc -> processes.addAll(sc.processes().keySet()));
        md.append("| configuration | ").append(String.join(" | ", processes)).append(" |\n|---|");
        md.append("---:|".repeat(processes.size())).append('\n');
        for (Scenario sc : r.scenarios()) {
            md.append("| ").append(sc.id());
            for (String p : processes) {
                Usage u = sc.processes().get(p);
                md.append(u == null ? " | " : String.format(Locale.ROOT, " | %.0f%% / %.0f", u.cpuPercent(), u.rssMb()));
            }
            md.append(" |\n");
        }
        md.append("\nAt the best open-throttle level:\n\n| configuration | ").append(String.join(" | ", processes))
                .append(" |\n|---|").append("---:|".repeat(processes.size())).append('\n');
        for (Scenario sc : r.scenarios()) {
            if (sc.best() == null) {
                continue;
            }
            Map<String, Usage> usage = sc.throttle().stream().filter(t -> t.run() == sc.best()).findFirst()
                    .map(BenchResults.Throttle::processes).orElse(Map.of());
            md.append("| ").append(sc.id());
            for (String p : processes) {
                Usage u = usage.get(p);
                md.append(u == null ? " | " : String.format(Locale.ROOT, " | %.0f%% / %.0f", u.cpuPercent(), u.rssMb()));
            }
            md.append(" |\n");
        }

        if (r.limiter() != null) {
            var l = r.limiter().alone();
            md.append("\n## Rate limiter\n\n");
            md.append(String.format(Locale.ROOT, "The gateway's `RedisSlidingWindowLimiter` alone against Redis "
                    + "(one EVALSHA per decision, gateway pool settings): **%.0f decisions/s** with %d in flight; at "
                    + "a fixed %.0f decisions/s one decision takes p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, p99.9 %.3f ms "
                    + "(max %.2f ms); %d failures.%n%n", l.decisionsPerSecond(), l.concurrency(), l.fixedRate(), l.p50(),
                    l.p90(), l.p99(), l.p999(), l.max(), l.failures()));
            md.append(String.format(Locale.ROOT, "In the chain: the gateway with the limiter vs. the same gateway with "
                    + "`GATEWAY_RATELIMIT_ENABLED=false`, same load: %+.2f ms at p50, %+.2f ms at p99.%n",
                    r.limiter().addedP50Ms(), r.limiter().addedP99Ms()));
        }
        return md.toString();
    }

    private static Optional<Scenario> find(BenchResults r, String id) {
        return r.scenarios().stream().filter(sc -> sc.id().equals(id)).findFirst();
    }

    private static String errors(long total, Map<String, Long> byStatus) {
        if (total == 0) {
            return "0";
        }
        return total + " (" + byStatus.entrySet().stream()
                .filter(e -> !(e.getKey().startsWith("2") || e.getKey().startsWith("3")) || e.getKey().length() != 3)
                .map(e -> e.getKey() + "×" + e.getValue()).collect(Collectors.joining(", ")) + ")";
    }

    private static String counts(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
