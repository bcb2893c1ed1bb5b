package dev.scalableapi.bench.shedding;

import dev.scalableapi.bench.load.LoadResult;
import dev.scalableapi.bench.load.OpenModelLoad;
import dev.scalableapi.bench.load.Target;
import dev.scalableapi.bench.load.Workload;
import dev.scalableapi.bench.load.Workloads;
import dev.scalableapi.bench.stack.Database;
import dev.scalableapi.bench.stack.Launcher;
import dev.scalableapi.bench.stack.ManagedProcess;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * {@code bench/shedding}: does the gateway shed only overload? On a stack of its own ports (api ×3, balancer,
 * Redis; gateways: this checkout's, the same with shedding off, and optionally a baseline checkout's) it measures
 * each mix's capacity through the gateway without shedding, then offers 80 % and 150 % of it at a fixed rate to
 * each shedding gateway and reports 503 {@code OVERLOADED} counts and the admitted requests' latency. Capacity is
 * the highest fixed rate that gateway serves within the seed's p99 of 100 ms ({@link #capacity}).
 * Usage: {@code bench/shedding [--quick] [--trace] [--baseline=DIR]} (DIR: a checkout with a packaged
 * gateway-service).
 */
public final class SheddingBench {

    static final int API_1 = 23001;
    static final int BALANCER = 23000;
    static final int GATEWAY = 28080;
    static final int GATEWAY_BASELINE = 28081;
    static final int GATEWAY_NO_SHEDDING = 28082;
    static final int REDIS = 26379;
    static final int TOTAL_IDS = 100_000;
    static final int HOT_IDS = 100;
    static final Duration READY = Duration.ofSeconds(120);
    static final List<Double> LOADS = List.of(0.8, 1.5);
    /** The seed's latency requirement, which defines a mix's capacity here. */
    static final double SLO_P99_MS = 100;
    static final int OFFERED_CONNECTIONS = 4096;
    static final Duration WARMUP_LIMIT = Duration.ofSeconds(180);

    private record Mix(String name, Workload workload) {
    }

    /** {@code process}: the gateway's process name in the harness, so a run can restart it when it died. */
    private record Gateway(String name, int port, String process) {
    }

    /** {@code exited}: why the gateway's process ended during the run (its last log line), or null if it lived. */
    private record Run(String mix, Capacity capacity, double load, String gateway, LoadResult all,
            long overloaded, Histogram admitted, String hostLoad, String exited) {
    }

    /**
     * {@code rate}: the highest fixed rate served within {@link #SLO_P99_MS}; {@code closedLoop}: the best closed
     * loop's OK/s, from which the probes start; {@code probes}: each probed rate with its p99.
     */
    private record Capacity(double rate, double closedLoop, String probes) {
    }

    private SheddingBench() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        // --trace: the shedding gateway logs every window's figures and decision (.run/bench-shedding/logs)
        Map<String, String> trace = Arrays.asList(args).contains("--trace")
                ? Map.of("QUARKUS_LOG_CATEGORY__DEV_SCALABLEAPI_GATEWAY_SHEDDING__LEVEL", "DEBUG") : Map.of();
        Optional<Path> baseline = Arrays.stream(args).filter(a -> a.startsWith("--baseline="))
                .map(a -> Path.of(a.substring("--baseline=".length())).toAbsolutePath().normalize()).findFirst();
        Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        Path out = root.resolve("bench/results").resolve(quick ? "quick" : LocalDate.now(ZoneOffset.UTC).toString());
        Duration warmupStep = Duration.ofSeconds(quick ? 3 : 10);
        Duration capacityRun = Duration.ofSeconds(quick ? 3 : 6);
        // the settling run absorbs the shedder's reaction: a queue stands 2-4 s before it sheds, then drains
        Duration settle = Duration.ofSeconds(8);
        Duration measured = Duration.ofSeconds(quick ? 6 : 15);
        List<Integer> capacityConnections = quick ? List.of(32) : List.of(16, 64);
        String started = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString();

        Database db = Database.fromEnvironment("scalable_bench_shedding");
        String secret = UUID.randomUUID().toString();
        Launcher launcher = new Launcher(root, root.resolve(".run/bench-shedding"), db, REDIS, secret);
        Optional<Launcher> baselineLauncher = baseline.map(dir -> new Launcher(dir,
                root.resolve(".run/bench-shedding-baseline"), db, REDIS, secret));
        Map<String, ManagedProcess> processes = new LinkedHashMap<>();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try {
            say("starting Redis :" + REDIS + ", api ×3 :" + API_1 + "-" + (API_1 + 2) + ", balancer :" + BALANCER);
            start(processes, launcher.redis(REDIS)).awaitPort(READY);
            start(processes, launcher.api("api-1", API_1)).awaitReady(READY);
            start(processes, launcher.api("api-2", API_1 + 1));
            start(processes, launcher.api("api-3", API_1 + 2));
            processes.get("api-2").awaitReady(READY);
            processes.get("api-3").awaitReady(READY);
            start(processes, launcher.balancer("balancer", BALANCER, List.of(API_1, API_1 + 1, API_1 + 2)));
            List<Gateway> shedding = new ArrayList<>(List.of(new Gateway("this checkout", GATEWAY, "gateway")));
            start(processes, launcher.gateway("gateway", GATEWAY, List.of(BALANCER), trace));
            start(processes, launcher.gateway("gateway-no-shedding", GATEWAY_NO_SHEDDING, List.of(BALANCER),
                    Map.of("GATEWAY_SHEDDING_ENABLED", "false")));
            if (baselineLauncher.isPresent()) {
                start(processes, baselineLauncher.get().gateway("gateway-baseline", GATEWAY_BASELINE,
                        List.of(BALANCER), Map.of()));
                shedding.add(new Gateway("baseline " + baseline.get().getFileName(), GATEWAY_BASELINE,
                        "gateway-baseline"));
            }
            for (ManagedProcess process : processes.values()) {
                if (process.name().startsWith("gateway") || process.name().equals("balancer")) {
                    process.awaitReady(READY);
                }
            }
            Database.Key key = db.issueKey("enterprise", 1_000_000_000);
            db.seedResources(TOTAL_IDS, key.ownerId());
            Map<String, String> headers = Map.of("X-API-Key", key.value());
            List<Mix> mixes = List.of(new Mix("cached-get", Workloads.cachedGet(HOT_IDS)),
                    new Mix("uncached-mix", Workloads.uncachedMix(TOTAL_IDS)),
                    new Mix("write-mix", Workloads.writeMix(1_000)));
            List<Gateway> everyGateway = new ArrayList<>(shedding);
            everyGateway.add(new Gateway("shedding off", GATEWAY_NO_SHEDDING, "gateway-no-shedding"));

            ClosedLoopLoad closedLoop = new ClosedLoopLoad(vertx);
            say("warm-up: closed loop (32 connections) of every mix through every gateway, in runs of "
                    + warmupStep.toSeconds() + " s until two in a row agree within 10 % (at most "
                    + WARMUP_LIMIT.toSeconds() + " s each), not measured");
            for (Mix mix : mixes) {
                for (Gateway gateway : everyGateway) {
                    warmUp(closedLoop, mix, gateway, headers, warmupStep, quick);
                }
            }
            OpenModelLoad load = new OpenModelLoad(vertx);
            List<Run> runs = new ArrayList<>();
            Map<String, Double> capacityAfter = new LinkedHashMap<>();
            int group = 0;
            for (Mix mix : mixes) {
                Capacity capacity = capacity(load, mix, headers,
                        closedLoopBest(closedLoop, mix, headers, capacityConnections, capacityRun), capacityRun);
                for (double share : LOADS) {
                    List<Gateway> order = new ArrayList<>(share > 1 ? everyGateway : shedding);
                    if (group++ % 2 == 1) {
                        Collections.reverse(order); // no gateway always runs first
                    }
                    for (Gateway gateway : order) {
                        Run run = fixedRate(load, mix, capacity, share, gateway, headers, settle, measured,
                                processes.get(gateway.process()));
                        runs.add(run);
                        if (run.exited() != null) {
                            // a gateway that died (without shedding: out of heap under 150 %) is the finding; the
                            // runs after it need it back, warm, or they measure nothing
                            say(gateway.name() + " exited during the run (" + run.exited() + "): restarting it");
                            processes.get(gateway.process()).start().awaitReady(READY);
                            warmUp(closedLoop, mix, gateway, headers, warmupStep, quick);
                        }
                    }
                }
                capacityAfter.put(mix.name(), closedLoopBest(closedLoop, mix, headers, capacityConnections,
                        capacityRun));
            }
            String report = report(started, quick, runs, capacityAfter, settle, measured);
            Files.createDirectories(out);
            Files.writeString(out.resolve("shedding.md"), report);
            System.out.println(report);
            say("report: " + root.relativize(out.resolve("shedding.md")));
        } finally {
            say("stopping what bench/shedding started");
            List<ManagedProcess> reversed = new ArrayList<>(processes.values());
            Collections.reverse(reversed);
            reversed.forEach(p -> p.stop(Duration.ofSeconds(20)));
            vertx.close();
        }
    }

    /**
     * Loads one gateway with one mix until its throughput stops rising (the JIT of every process on the path is
     * done), as {@code bench/run} does: a capacity measured on cold JVMs is a fraction of the warm one, and the
     * "150 %" runs would then not overload anything.
     */
    private static void warmUp(ClosedLoopLoad closedLoop, Mix mix, Gateway gateway, Map<String, String> headers,
            Duration step, boolean quick) {
        long until = System.nanoTime() + WARMUP_LIMIT.toNanos();
        double previous = 0;
        int runs = 0;
        while (true) {
            double now = closedLoop.okPerSecond(gateway.port(), headers, mix.workload(), 32, step);
            runs++;
            boolean steady = previous > 0 && Math.abs(now - previous) <= 0.1 * previous;
            if (quick || steady || System.nanoTime() > until) {
                say(String.format("  %s via %s warmed: %d s, last %.0f OK/s%s", mix.name(), gateway.name(),
                        runs * step.toSeconds(), now, steady || quick ? "" : " (limit reached, still changing)"));
                return;
            }
            previous = now;
        }
    }

    /**
     * The highest fixed rate that the gateway without shedding serves with p99 within the seed's 100 ms and no error,
     * probed with the same open-model client and connection count as the fixed-rate runs, in tenths of the best
     * closed loop: upwards from half of it until a probe fails (downwards if half fails already), so that only the
     * last probe overloads the chain (a run of 2026-12-07 that probed downwards from 90 % found every probe after
     * the first overloaded one seconds slow: the chain needs longer than a probe to recover). The closed loop alone
     * overstates what a fixed rate can have: it sends each request as the last returns over 64 connections, while a
     * fixed rate arrives unevenly over thousands and costs more per request (80 % of the closed loop's figure built a
     * standing queue in every run until then).
     */
    private static Capacity capacity(OpenModelLoad load, Mix mix, Map<String, String> headers, double closedLoop,
            Duration length) {
        List<String> probes = new ArrayList<>();
        double passed = 0;
        for (int tenths = 5; tenths <= 10; tenths++) {
            double rate = closedLoop * tenths / 10;
            if (!passes(load, mix, headers, rate, length, probes)) {
                break;
            }
            passed = rate;
        }
        for (int tenths = 4; passed == 0 && tenths >= 3; tenths--) {
            double rate = closedLoop * tenths / 10;
            if (passes(load, mix, headers, rate, length, probes)) {
                passed = rate;
            }
        }
        if (passed == 0) {
            // a host too busy to meet the SLO at any rate: the runs still say whether the shedder tells load from
            // overload
            passed = closedLoop * 3 / 10;
            probes.add("none within " + (int) SLO_P99_MS + " ms: the lowest probed rate taken");
        }
        return new Capacity(passed, closedLoop, String.join("; ", probes));
    }

    /**
     * A rate fails only when two probes in a row miss the SLO: this host stalls now and then for up to a second
     * (every process at once), and one stall in a probe puts its p99 at hundreds of milliseconds at any rate.
     */
    private static boolean passes(OpenModelLoad load, Mix mix, Map<String, String> headers, double rate,
            Duration length, List<String> probes) {
        return withinSlo(load, mix, headers, rate, length, probes)
                || withinSlo(load, mix, headers, rate, length, probes);
    }

    private static boolean withinSlo(OpenModelLoad load, Mix mix, Map<String, String> headers, double rate,
            Duration length, List<String> probes) {
        OpenModelLoad.Settings settings = OpenModelLoad.Settings.of(Target.local(GATEWAY_NO_SHEDDING), headers, rate,
                Duration.ofSeconds(3)).withConnections(OFFERED_CONNECTIONS);
        load.run("settle", mix.workload(), settings, outcome -> { });
        LoadResult probe = load.run(mix.name(), mix.workload(), settings.with(length), outcome -> { });
        probes.add(String.format("%.0f/s: p99 %.0f ms%s", rate, probe.p99(),
                probe.errors() == 0 ? "" : ", " + probe.errors() + " errors"));
        say(String.format("%s: fixed rate %.0f/s without shedding: p99 %.1f ms, %d errors", mix.name(), rate,
                probe.p99(), probe.errors()));
        return probe.p99() <= SLO_P99_MS && probe.errors() == 0;
    }

    /** The best OK/s of closed loops through the gateway that does not shed. */
    private static double closedLoopBest(ClosedLoopLoad closedLoop, Mix mix, Map<String, String> headers,
            List<Integer> connections, Duration length) {
        double capacity = 0;
        for (int c : connections) {
            double rate = closedLoop.okPerSecond(GATEWAY_NO_SHEDDING, headers, mix.workload(), c, length);
            say(String.format("%s: closed loop, %d connections: %.0f OK/s", mix.name(), c, rate));
            capacity = Math.max(capacity, rate);
        }
        return capacity;
    }

    private static Run fixedRate(OpenModelLoad load, Mix mix, Capacity capacity, double share, Gateway gateway,
            Map<String, String> headers, Duration settle, Duration measured, ManagedProcess process) {
        double rate = capacity.rate() * share;
        // More connections than the gateway admits at once (its shedding ceiling, 2000): with the default 256 the
        // queue of a 150 % run built up in this client, where no gateway can see or shed it (client-overflow).
        OpenModelLoad.Settings settings = OpenModelLoad.Settings.of(Target.local(gateway.port()), headers, rate,
                settle).withConnections(OFFERED_CONNECTIONS);
        load.run("settle", mix.workload(), settings, outcome -> { });
        Histogram admitted = new ConcurrentHistogram(Duration.ofMinutes(10).toNanos() / 1000, 3);
        AtomicLong overloaded = new AtomicLong();
        LoadResult all = load.run(mix.name(), mix.workload(), settings.with(measured), outcome -> {
            if ("OVERLOADED".equals(outcome.errorCode())) {
                overloaded.incrementAndGet();
            } else {
                admitted.recordValue(Math.max(0, outcome.latencyNanos() / 1000));
            }
        });
        say(String.format("%s at %.0f%% (%.0f/s) via %s: OVERLOADED %d, admitted p50 %.1f p99 %.1f ms, %s",
                mix.name(), share * 100, rate, gateway.name(), overloaded.get(), ms(admitted, 50), ms(admitted, 99),
                all.byStatus()));
        String exited = process.alive() ? null : process.lastLogLine();
        return new Run(mix.name(), capacity, share, gateway.name(), all, overloaded.get(), admitted, hostLoad(),
                exited);
    }

    private static String report(String started, boolean quick, List<Run> runs, Map<String, Double> capacityAfter,
            Duration settle, Duration measured) {
        StringBuilder md = new StringBuilder();
        md.append("# Load shedding ").append(started).append("\n\nCommand: `bench/shedding")
                .append(quick ? " --quick" : "").append("`. Capacity: the highest fixed rate that the gateway with")
                .append(" shedding off serves with p99 ≤ ").append((int) SLO_P99_MS).append(" ms (the seed's")
                .append(" requirement) and no error, probed with the same client and connections as the runs, in")
                .append(" tenths of the best closed loop upwards from half of it, a rate failing when two probes in a")
                .append(" row miss (probes below). Closed loop: the best OK/s of closed loops (16 and 64 connections)")
                .append(" before a mix's runs, and after them in brackets (how much the host moved meanwhile). Each")
                .append(" fixed-rate run: ").append(settle.toSeconds()).append(" s settling, then ")
                .append(measured.toSeconds()).append(" s measured (open model, latency from each request's due")
                .append(" time). Admitted = every request not answered 503 OVERLOADED. Host load: the 1-minute load")
                .append(" average at the end of the run (2 cores, shared).\n\n")
                .append("| mix | capacity req/s | closed loop req/s | load | gateway | OVERLOADED | other errors |")
                .append(" admitted p50 ms | admitted p99 ms | admitted p99.9 ms | host load |\n")
                .append("|---|---:|---:|---:|---|---:|---|---:|---:|---:|---:|\n");
        for (Run run : runs) {
            Map<String, Long> others = new LinkedHashMap<>(run.all().byStatus());
            others.keySet().removeIf(label -> label.startsWith("2") || label.startsWith("3")
                    || label.equals("503 OVERLOADED"));
            String errors = (others.isEmpty() ? "0" : others.toString())
                    + (run.exited() == null ? "" : "; **the gateway exited**: " + run.exited());
            md.append(String.format(
                    "| %s | %.0f | %.0f (%.0f) | %.0f %% (%.0f/s) | %s | %d | %s | %.2f | %.1f | %.1f | %s |%n",
                    run.mix(), run.capacity().rate(), run.capacity().closedLoop(), capacityAfter.get(run.mix()),
                    run.load() * 100, run.capacity().rate() * run.load(), run.gateway(), run.overloaded(), errors,
                    ms(run.admitted(), 50), ms(run.admitted(), 99), ms(run.admitted(), 99.9), run.hostLoad()));
        }
        md.append("\nCapacity probes (fixed rate through the gateway with shedding off: p99):\n\n");
        runs.stream().map(run -> run.mix() + ": " + run.capacity().probes()).distinct()
                .forEach(line -> md.append("- ").append(line).append('\n'));
        return md.toString();
    }

    /** The host's 1-minute load average: other processes on these shared cores move every figure. */
    private static String hostLoad() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static double ms(Histogram micros, double percentile) {
        return micros.getTotalCount() == 0 ? 0 : micros.getValueAtPercentile(percentile) / 1000.0;
    }

    private static ManagedProcess start(Map<String, ManagedProcess> processes, ManagedProcess process) {
        processes.put(process.name(), process.start());
        return process;
    }

    static void say(String message) {
        System.out.println("==> " + message);
        System.out.flush();
    }
}
