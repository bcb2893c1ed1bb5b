package dev.scalableapi.bench;

import dev.scalableapi.bench.limiter.LimiterBenchmark;
import dev.scalableapi.bench.profile.JfrProfile;
import dev.scalableapi.bench.load.LoadResult;
import dev.scalableapi.bench.load.OpenModelLoad;
import dev.scalableapi.bench.load.Target;
import dev.scalableapi.bench.load.Workload;
import dev.scalableapi.bench.load.Workloads;
import dev.scalableapi.bench.report.BenchReport;
import dev.scalableapi.bench.report.BenchResults;
import dev.scalableapi.bench.report.BenchResults.Scenario;
import dev.scalableapi.bench.report.BenchResults.Throttle;
import dev.scalableapi.bench.report.BenchResults.Usage;
import dev.scalableapi.bench.stack.Database;
import dev.scalableapi.bench.stack.GcPauses;
import dev.scalableapi.bench.stack.Launcher;
import dev.scalableapi.bench.stack.ManagedProcess;
import dev.scalableapi.bench.stack.ProcessStats;
import dev.scalableapi.bench.wrk.WrkRun;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code bench/run}: starts the stack on its own ports (api ×3, balancer, two gateways — one with the limiter off —
 * NGINX and HAProxy in the balancer's place, Redis), issues a key, seeds data, then for each configuration runs a
 * fixed-rate latency test and open-throttle wrk runs, the limiter alone, and writes the report.
 */
public final class BenchMain {

    static final int API_1 = 13001;
    static final int API_2 = 13002;
    static final int API_3 = 13003;
    static final int BALANCER = 13000;
    static final int NGINX = 13010;
    static final int HAPROXY = 13020;
    static final int GATEWAY = 18080;
    static final int GATEWAY_NO_LIMITER = 18081;
    static final int REDIS = 16379;
    static final int HOT_IDS = 100;
    static final int TOTAL_IDS = 100_000;
    static final double P99_BUDGET_MS = 100;
    /** Load just before each measurement, so it starts from the steady state of its own path and mix. */
    static final int SETTLE_SECONDS = 3;
    static final int WARMUP_CONNECTIONS = 32;
    /** The chain needs about two minutes of full load before its JVMs stop compiling (measured here). */
    static final Duration WARMUP_LIMIT = Duration.ofSeconds(180);
    static final Duration READY = Duration.ofSeconds(120);
    /** Recorded with JFR during the gateway's fixed-rate run: the two hops of the chain. */
    static final List<String> PROFILED = List.of("gateway", "balancer");

    private record Plan(String id, String path, String mix, int port, Workload workload) {
    }

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        Path out = root.resolve("bench/results").resolve(quick ? "quick" : LocalDate.now(ZoneOffset.UTC).toString());
        double rate = Double.parseDouble(System.getProperty("bench.rate", "1667"));
        int fixedSeconds = quick ? 3 : 15;
        int warmupSeconds = quick ? 3 : 10;
        int throttleSeconds = quick ? 2 : 6;
        List<Integer> connections = quick ? List.of(16, 64) : List.of(16, 64, 256);
        String started = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString();

        Database db = Database.fromEnvironment("scalable_bench");
        Launcher launcher = new Launcher(root, root.resolve(".run/bench"), db, REDIS, UUID.randomUUID().toString());
        Map<String, ManagedProcess> processes = new LinkedHashMap<>();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try {
            say("starting Redis :" + REDIS + ", api ×3 :" + API_1 + "-" + API_3);
            start(processes, launcher.redis(REDIS));
            processes.get("redis").awaitPort(READY);
            // One replica first: it migrates the empty database. Replicas migrating a fresh database at the same
            // moment can fail Flyway's baseline (see the report to the lead); that is not what this measures.
            start(processes, launcher.api("api-1", API_1)).awaitReady(READY);
            start(processes, launcher.api("api-2", API_2));
            start(processes, launcher.api("api-3", API_3));
            for (String api : List.of("api-2", "api-3")) {
                processes.get(api).awaitReady(READY);
            }
            List<Integer> replicas = List.of(API_1, API_2, API_3);
            say("starting balancer :" + BALANCER + ", NGINX :" + NGINX + ", HAProxy :" + HAPROXY + ", gateways :"
                    + GATEWAY + " and :" + GATEWAY_NO_LIMITER + " (limiter off)");
            start(processes, launcher.balancer("balancer", BALANCER, replicas));
            start(processes, launcher.nginx(NGINX, replicas));
            start(processes, launcher.haproxy(HAPROXY, replicas));
            start(processes, launcher.gateway("gateway", GATEWAY, List.of(BALANCER), Map.of()))
                    .awaitReady(READY);
            start(processes, launcher.gateway("gateway-nolimit", GATEWAY_NO_LIMITER, List.of(BALANCER),
                    Map.of("GATEWAY_RATELIMIT_ENABLED", "false")));
            processes.get("balancer").awaitReady(READY);
            processes.get("gateway-nolimit").awaitReady(READY);
            processes.get("nginx").awaitHttp("/api/v1/status", READY);
            processes.get("haproxy").awaitHttp("/api/v1/status", READY);

            say("issuing the bench key and seeding " + TOTAL_IDS + " resources");
            Database.Key key = db.issueKey("enterprise", 1_000_000_000);
            db.seedResources(TOTAL_IDS, key.ownerId());
            Map<String, String> headers = Map.of("X-API-Key", key.value());

            List<Plan> plans = List.of(
                    new Plan("direct", "client → api-1", "cached-get", API_1, Workloads.cachedGet(HOT_IDS)),
                    new Plan("balancer", "client → balancer → api ×3", "cached-get", BALANCER,
                            Workloads.cachedGet(HOT_IDS)),
                    new Plan("nginx", "client → NGINX least_conn → api ×3", "cached-get", NGINX,
                            Workloads.cachedGet(HOT_IDS)),
                    new Plan("haproxy", "client → HAProxy leastconn → api ×3", "cached-get", HAPROXY,
                            Workloads.cachedGet(HOT_IDS)),
                    new Plan("gateway", "client → gateway → balancer → api ×3", "cached-get", GATEWAY,
                            Workloads.cachedGet(HOT_IDS)),
                    new Plan("gateway-nolimit", "as gateway, limiter off", "cached-get", GATEWAY_NO_LIMITER,
                            Workloads.cachedGet(HOT_IDS)),
                    new Plan("gateway-uncached", "client → gateway → balancer → api ×3", "uncached-mix", GATEWAY,
                            Workloads.uncachedMix(TOTAL_IDS)),
                    new Plan("gateway-write", "client → gateway → balancer → api ×3", "write-mix", GATEWAY,
                            Workloads.writeMix(1_000)));

            OpenModelLoad load = new OpenModelLoad(vertx);
            WrkRun wrk = new WrkRun(launcher.runDir());
            // Every JVM on every path is compiled hot before anything is measured: otherwise the first scenario
            // that reaches a process pays for its JIT warm-up (a cold replica burns several times the CPU). Closed
            // loop, as fast as the path goes: a cold chain carries a tenth of its warm throughput while five JVMs
            // compile at once on these two cores, and at a fixed rate it would only queue, not warm.
            say("warm-up: closed loop (wrk, " + WARMUP_CONNECTIONS + " connections) of each configuration and mix,"
                    + " in runs of " + warmupSeconds + " s until two in a row agree within 10 % (at most "
                    + WARMUP_LIMIT.toSeconds() + " s), not measured");
            for (Plan plan : plans) {
                warmUp(wrk, plan, wrkEnvironment(plan, key), warmupSeconds, quick);
            }
            List<Scenario> scenarios = new ArrayList<>();
            List<JfrProfile.Summary> profiles = new ArrayList<>();
            for (Plan plan : plans) {
                OpenModelLoad.Settings settings = OpenModelLoad.Settings.of(Target.local(plan.port()), headers, rate,
                        Duration.ofSeconds(SETTLE_SECONDS));
                say(plan.id() + ": settle " + SETTLE_SECONDS + " s, fixed " + (int) rate + " req/s for " + fixedSeconds
                        + " s");
                load.run(plan.id() + "-settle", plan.workload(), settings, outcome -> { });
                Map<String, ProcessStats.Sample> before = samples(processes);
                long from = System.currentTimeMillis();
                LoadResult fixed = load.run(plan.id(), plan.workload(), settings.with(Duration.ofSeconds(fixedSeconds)),
                        outcome -> { });
                Map<String, GcPauses> gc = gcPauses(processes, from, System.currentTimeMillis());
                Map<String, Usage> usage = usage(before, samples(processes));
                say(String.format("  ok %.0f/s p50 %.2f p99 %.2f p99.9 %.2f ms, errors %d %s", fixed.achievedRate(),
                        fixed.p50(), fixed.p99(), fixed.p999(), fixed.errors(), fixed.byStatus()));
                List<Throttle> throttle = new ArrayList<>();
                for (int c : connections) {
                    Map<String, ProcessStats.Sample> start = samples(processes);
                    WrkRun.Result run = wrk.run(plan.id(), plan.port(), c, throttleSeconds,
                            wrkEnvironment(plan, key));
                    throttle.add(new Throttle(run, usage(start, samples(processes))));
                    say(String.format("  wrk -c%d: %.0f req/s p99 %.2f ms, errors %d", c, run.requestsPerSecond(),
                            run.p99(), run.errors()));
                }
                WrkRun.Result best = throttle.stream().map(Throttle::run)
                        .filter(t -> t.p99() < P99_BUDGET_MS && t.errors() < t.requests() / 100)
                        .max(Comparator.comparingDouble(WrkRun.Result::requestsPerSecond)).orElse(null);
                scenarios.add(new Scenario(plan.id(), plan.path(), plan.mix(), fixed, usage, gc, throttle, best));
            }

            Scenario withLimiter = scenarios.get(4);
            Scenario withoutLimiter = scenarios.get(5);
            BenchResults.Alternation alternated = alternate(wrk,
                    withLimiter.best() == null ? 64 : withLimiter.best().connections(),
                    wrkEnvironment(plans.get(4), key), throttleSeconds, quick ? 1 : 4);

            // Last, once every figure is taken: starting JFR deoptimizes the profiled JVMs, and their throughput takes
            // minutes to come back (on a local stack the chain fell from 4,220 to 736 req/s while it recorded and was
            // at 2,845 two 10 s runs after it stopped), which once passed for the rate limiter's cost.
            Plan profiledPlan = plans.stream().filter(p -> p.id().equals("gateway")).findFirst().orElseThrow();
            say("profile: JFR on " + PROFILED + " during another " + fixedSeconds + " s of the "
                    + profiledPlan.id() + " load at " + (int) rate + " req/s, after every measurement");
            for (String service : PROFILED) {
                JfrProfile.start(processes.get(service).pid(), "bench");
            }
            load.run(profiledPlan.id() + "-profile", profiledPlan.workload(),
                    OpenModelLoad.Settings.of(Target.local(profiledPlan.port()), headers, rate,
                            Duration.ofSeconds(fixedSeconds)), outcome -> { });
            for (String service : PROFILED) {
                Path recording = launcher.runDir().resolve(service + ".jfr");
                JfrProfile.stop(processes.get(service).pid(), "bench", recording);
                profiles.add(JfrProfile.summarize(service, recording, 12));
            }

            say("rate limiter alone");
            LimiterBenchmark.Result limiter = LimiterBenchmark.run(vertx, REDIS, 64,
                    Duration.ofSeconds(quick ? 2 : 5), rate, Duration.ofSeconds(quick ? 2 : 5));
            BenchResults results = new BenchResults(started, "bench/run" + (quick ? " --quick" : ""),
                    new BenchResults.Machine(Runtime.getRuntime().availableProcessors(), totalMemoryMb(),
                            System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                            System.getProperty("os.name") + " " + System.getProperty("os.version")),
                    new BenchResults.Settings(rate, fixedSeconds, warmupSeconds, throttleSeconds, connections,
                            P99_BUDGET_MS, HOT_IDS, TOTAL_IDS),
                    scenarios, new BenchResults.Limiter(limiter,
                            withLimiter.fixed().p50() - withoutLimiter.fixed().p50(),
                            withLimiter.fixed().p99() - withoutLimiter.fixed().p99(), alternated),
                    String.join(" ", launcher.jvmOptions()), startup(processes), profiles);
            BenchReport.write(results, out);
            say("report: " + root.relativize(out.resolve("report.md")));
        } finally {
            say("stopping what bench/run started");
            List<ManagedProcess> reversed = new ArrayList<>(processes.values());
            java.util.Collections.reverse(reversed);
            reversed.forEach(p -> p.stop(Duration.ofSeconds(20)));
            vertx.close();
        }
    }

    /**
     * The gateway with and without the limiter in closed loop, {@code pairs} times each, in the order on, off, off,
     * on, … (each pair's two runs adjacent, the order flipped from pair to pair), at the connections of the limited
     * gateway's best throttle run.
     */
    private static BenchResults.Alternation alternate(WrkRun wrk, int connections, Map<String, String> environment,
            int seconds, int pairs) {
        say("limiter on vs off: " + pairs + " pairs of " + seconds + " s runs alternated, wrk -c" + connections);
        List<Double> on = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            for (boolean limited : i % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                double perSecond = wrk.run(limited ? "gateway-alternated" : "gateway-nolimit-alternated",
                        limited ? GATEWAY : GATEWAY_NO_LIMITER, connections, seconds, environment).requestsPerSecond();
                (limited ? on : off).add(perSecond);
            }
            say(String.format("  on %.0f / off %.0f req/s", on.get(i), off.get(i)));
        }
        return new BenchResults.Alternation(connections, seconds, on, off);
    }

    /** Loads the plan's path until its throughput stops rising (the JIT is done), or for the limit at most. */
    private static void warmUp(WrkRun wrk, Plan plan, Map<String, String> environment, int runSeconds,
            boolean quick) {
        long until = System.nanoTime() + WARMUP_LIMIT.toNanos();
        double previous = 0;
        int runs = 0;
        while (true) {
            double now = wrk.run(plan.id() + "-warmup", plan.port(), WARMUP_CONNECTIONS, runSeconds, environment)
                    .requestsPerSecond();
            runs++;
            boolean steady = previous > 0 && Math.abs(now - previous) <= 0.1 * previous;
            if (quick || steady || System.nanoTime() > until) {
                say(String.format("  %s warmed: %d s, last %.0f req/s%s", plan.id(), runs * runSeconds, now,
                        steady || quick ? "" : " (limit reached, still changing)"));
                return;
            }
            previous = now;
        }
    }

    /** What {@code wrk/bench.lua} needs to send a plan's mix as the bench key. */
    private static Map<String, String> wrkEnvironment(Plan plan, Database.Key key) {
        return Map.of("BENCH_KEY", key.value(), "BENCH_MIX", plan.mix(), "BENCH_HOT_IDS", Integer.toString(HOT_IDS),
                "BENCH_TOTAL_IDS", Integer.toString(TOTAL_IDS), "BENCH_OWNED_IDS", "1000");
    }

    private static Map<String, Double> startup(Map<String, ManagedProcess> processes) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        processes.forEach((name, process) -> process.startedInSeconds().ifPresent(s -> seconds.put(name, s)));
        return seconds;
    }

    private static ManagedProcess start(Map<String, ManagedProcess> processes, ManagedProcess process) {
        processes.put(process.name(), process.start());
        return process;
    }

    private static Map<String, ProcessStats.Sample> samples(Map<String, ManagedProcess> processes) {
        Map<String, ProcessStats.Sample> samples = new LinkedHashMap<>();
        processes.forEach((name, p) -> samples.put(name, ProcessStats.sample(p.pid())));
        String postgres = System.getenv("BENCH_POSTGRES_PID");
        if (postgres != null && !postgres.isBlank()) {
            samples.put("postgres", ProcessStats.sample(Long.parseLong(postgres.trim())));
        }
        samples.put("load-generator", ProcessStats.self());
        return samples;
    }

    /** Each JVM's collections that ended within the window (a stall there shows in the run's tail). */
    private static Map<String, GcPauses> gcPauses(Map<String, ManagedProcess> processes, long from, long to) {
        Map<String, GcPauses> pauses = new LinkedHashMap<>();
        processes.forEach((name, p) -> p.gcLog().ifPresent(log -> pauses.put(name, GcPauses.between(log, from, to))));
        return pauses;
    }

    private static Map<String, Usage> usage(Map<String, ProcessStats.Sample> before,
            Map<String, ProcessStats.Sample> after) {
        Map<String, Usage> usage = new LinkedHashMap<>();
        after.forEach((name, sample) -> usage.put(name, new Usage(
                Math.round(sample.cpuPercentSince(before.get(name)) * 10) / 10.0,
                Math.round(sample.rssBytes() / 1024.0 / 1024.0 * 10) / 10.0)));
        return usage;
    }

    private static long totalMemoryMb() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean bean ? bean.getTotalMemorySize() / 1024 / 1024 : 0;
    }

    static void say(String message) {
        System.out.println("==> " + message);
        System.out.flush();
    }
}
