package dev.scalableapi.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.scalableapi.bench.profile.JfrProfile;
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
import java.util.function.Function;
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
        md.append(String.format(Locale.ROOT, "Services: packaged jars, production profile (no dev seed), JVM options "
                + "of `scripts/lib/jvm-options` (`%s`), defaults otherwise (request log on, access log off as in "
                + "production). Data: %,d resources; cached reads cycle over %d hot ids; the bench key is enterprise "
                + "tier with a per-key limit override so throughput runs measure the stack, not refusals (the "
                + "limiter still decides every request).%n%n", r.jvmOptions(), s.totalIds(), s.hotIds()));
        targets(md, r);
        md.append("![latency](latency.svg) ![throughput](throughput.svg)\n\n");

        md.append(String.format(Locale.ROOT, "## Fixed rate: %d req/s for %d s%n%n", (int) s.fixedRate(),
                s.fixedSeconds()));
        md.append(String.format(Locale.ROOT, "Before any measurement every configuration and mix ran closed loop "
                + "(wrk, 32 connections, as fast as the path goes) in runs of %d s until two in a row agreed within "
                + "10 %% (at most 180 s): the JIT warm-up of every process on its path, which takes the chain's five "
                + "JVMs about two minutes on these two cores. Each measurement follows 3 s of its own load at this "
                + "rate.%n%n", s.warmupSeconds()));
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
        perProcess(md, r.scenarios(), Scenario::processes, BenchReport::usageCell);
        md.append("\nGC pauses of each JVM during the fixed-rate runs (count, longest, full collections among them):"
                + "\n\n");
        perProcess(md, r.scenarios(), Scenario::gcPauses, gc -> gc.pauses() == 0 ? "" : String.format(Locale.ROOT,
                "%d, ≤ %.1f ms%s", gc.pauses(), gc.longestMs(), gc.full() == 0 ? "" : ", " + gc.full() + " full"));
        md.append("\nAt the best open-throttle level:\n\n");
        perProcess(md, r.scenarios().stream().filter(sc -> sc.best() != null).toList(),
                sc -> sc.throttle().stream().filter(t -> t.run() == sc.best()).findFirst()
                        .map(BenchResults.Throttle::processes).orElse(Map.of()), BenchReport::usageCell);

        if (r.limiter() != null) {
            var l = r.limiter().alone();
            md.append("\n## Rate limiter\n\n");
            md.append(String.format(Locale.ROOT, "The gateway's `RedisRateLimiter` alone (one minute policy) against Redis "
                    + "(one EVALSHA per decision over the gateway's pipelined connection): **%.0f decisions/s** with %d in flight; at "
                    + "a fixed %.0f decisions/s one decision takes p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, p99.9 %.3f ms "
                    + "(max %.2f ms); %d failures.%n%n", l.decisionsPerSecond(), l.concurrency(), l.fixedRate(), l.p50(),
                    l.p90(), l.p99(), l.p999(), l.max(), l.failures()));
            md.append(String.format(Locale.ROOT, "In the chain: the gateway with the limiter vs. the same gateway with "
                    + "`GATEWAY_RATELIMIT_ENABLED=false`, same load: %+.2f ms at p50, %+.2f ms at p99.%n",
                    r.limiter().addedP50Ms(), r.limiter().addedP99Ms()));
        }
        if (!r.startupSeconds().isEmpty()) {
            md.append("\n## Start-up (s from launch to ready, as each service logs it)\n\n");
            md.append(r.startupSeconds().entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.2f",
                    e.getKey(), e.getValue())).collect(Collectors.joining(", "))).append("\n");
        }
        for (JfrProfile.Summary profile : r.profiles()) {
            md.append(String.format(Locale.ROOT, "%n## Profile: %s during a fixed-rate run of the gateway's load after every measurement (JFR, %d CPU "
                    + "samples; %d thread parks, %d monitor waits)%n%n", profile.service(), profile.cpuSamples(),
                    profile.threadParks(), profile.monitorWaits()));
            md.append("| top frames (self) | % | project code (inclusive) | % | allocations by first project frame | % |\n"
                    + "|---|---:|---|---:|---|---:|\n");
            int rows = Math.max(profile.selfTop().size(), Math.max(profile.projectInclusive().size(),
                    profile.allocationTop().size()));
            for (int i = 0; i < rows; i++) {
                md.append(cell(profile.selfTop(), i)).append(cell(profile.projectInclusive(), i))
                        .append(cell(profile.allocationTop(), i)).append("|\n");
            }
        }
        return md.toString();
    }

    private static String pairs(BenchResults.Alternation alternated) {
        StringBuilder pairs = new StringBuilder();
        for (int i = 0; i < alternated.on().size(); i++) {
            pairs.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f / %.0f", alternated.on().get(i),
                    alternated.off().get(i)));
        }
        return pairs.toString();
    }

    private static String cell(List<JfrProfile.Share> shares, int i) {
        if (i >= shares.size()) {
            return "| | ";
        }
        return String.format(Locale.ROOT, "| `%s` | %.1f ", shares.get(i).frame(), shares.get(i).percent());
    }

    /** The targets, each with the figures of this run it is judged by. */
    private static void targets(StringBuilder md, BenchResults r) {
        Optional<Scenario> nginx = find(r, "nginx");
        Optional<Scenario> balancer = find(r, "balancer");
        Optional<Scenario> gateway = find(r, "gateway");
        Optional<Scenario> noLimit = find(r, "gateway-nolimit");
        Optional<Scenario> direct = find(r, "direct");
        md.append("## Targets\n\n| target | this run |\n|---|---|\n");
        if (nginx.isPresent() && nginx.get().best() != null) {
            double reference = nginx.get().best().requestsPerSecond();
            gateway.filter(g -> g.best() != null).ifPresent(g -> md.append(String.format(Locale.ROOT,
                    "| chain best closed-loop req/s ≥ 0.5 × NGINX least_conn | %.0f vs %.0f: **%.2f×** |%n",
                    g.best().requestsPerSecond(), reference, g.best().requestsPerSecond() / reference)));
            balancer.filter(b -> b.best() != null).ifPresent(b -> md.append(String.format(Locale.ROOT,
                    "| our balancer ≥ 1.0 × NGINX least_conn | %.0f vs %.0f: **%.2f×** |%n",
                    b.best().requestsPerSecond(), reference, b.best().requestsPerSecond() / reference)));
        }
        gateway.ifPresent(g -> {
            var f = g.fixed();
            md.append(String.format(Locale.ROOT, "| chain at %.0f req/s: p99 ≤ 10 ms, 0 errors, 0 shed | p99 **%.2f ms**, "
                    + "%d errors |%n", r.settings().fixedRate(), f.p99(), f.errors()));
            direct.ifPresent(d -> md.append(String.format(Locale.ROOT, "| chain p50 over a direct replica ≤ 1 ms | "
                    + "**%+.2f ms** |%n", f.p50() - d.fixed().p50())));
            Usage redis = g.processes().get("redis");
            if (redis != null && f.achievedRate() > 0) {
                md.append(String.format(Locale.ROOT, "| Redis CPU per rate-limit decision | %.0f %% of a core at %.0f "
                        + "decisions/s: **%.1f µs** each |%n", redis.cpuPercent(), f.achievedRate(),
                        redis.cpuPercent() / 100 * 1e6 / f.achievedRate()));
            }
        });
        BenchResults.Alternation alternated = r.limiter() == null ? null : r.limiter().alternated();
        if (alternated != null && !alternated.on().isEmpty()) {
            md.append(String.format(Locale.ROOT, "| limiter on vs off: ≤ 10 %% less throughput (closed loop) | "
                    + "%d %s of %d s runs alternated, wrk -c%d: median on ÷ off **%+.1f %%** (on / off req/s: "
                    + "%s) |%n", alternated.on().size(), alternated.on().size() == 1 ? "pair" : "pairs",
                    alternated.seconds(), alternated.connections(),
                    100 * alternated.medianChange(), pairs(alternated)));
        }
        if (gateway.isPresent() && noLimit.isPresent()) {
            var on = gateway.get();
            var off = noLimit.get();
            if (on.best() != null && off.best() != null) {
                md.append(String.format(Locale.ROOT, "| (the same, best of each configuration's throttle runs, minutes "
                        + "apart) | %.0f vs %.0f req/s: %+.1f %% |%n", on.best().requestsPerSecond(),
                        off.best().requestsPerSecond(),
                        100 * (on.best().requestsPerSecond() / off.best().requestsPerSecond() - 1)));
            }
            md.append(String.format(Locale.ROOT, "| limiter on vs off: ≤ 1 ms added p99 (fixed rate) | **%+.2f ms** |%n",
                    on.fixed().p99() - off.fixed().p99()));
        }
        double maxRss = r.scenarios().stream().flatMap(sc -> sc.processes().entrySet().stream())
                .filter(e -> JVMS.stream().anyMatch(e.getKey()::startsWith))
                .mapToDouble(e -> e.getValue().rssMb()).max().orElse(0);
        md.append(String.format(Locale.ROOT, "| every JVM ≤ 150 MiB RSS | largest seen at the end of a fixed-rate run: "
                + "**%.0f MB** |%n%n", maxRss));
    }

    private static final List<String> JVMS = List.of("api-", "balancer", "gateway");

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
    /** One row per scenario, one column per process any of them names, each cell {@code cell} of its figure. */
    private static <T> void perProcess(StringBuilder md, List<Scenario> scenarios,
            Function<Scenario, Map<String, T>> figures, Function<T, String> cell) {
        TreeSet<String> processes = new TreeSet<>();
        scenarios.forEach(sc -> processes.addAll(figures.apply(sc).keySet()));
        md.append("| configuration | ").append(String.join(" | ", processes)).append(" |\n|---|");
        md.append("---:|".repeat(processes.size())).append('\n');
        for (Scenario sc : scenarios) {
            Map<String, T> row = figures.apply(sc);
            md.append("| ").append(sc.id());
            for (String process : processes) {
                T figure = row.get(process);
                md.append(" | ").append(figure == null ? "" : cell.apply(figure));
            }
            md.append(" |\n");
        }
    }

    private static String usageCell(Usage u) {
        return String.format(Locale.ROOT, "%.0f%% / %.0f", u.cpuPercent(), u.rssMb());
    }
}
