package dev.scalableapi.bench.report;

import dev.scalableapi.bench.limiter.LimiterBenchmark;
import dev.scalableapi.bench.profile.JfrProfile;
import dev.scalableapi.bench.stack.GcPauses;
import dev.scalableapi.bench.load.LoadResult;
import dev.scalableapi.bench.wrk.WrkRun;
import java.util.List;
import java.util.Map;

/** Every figure of one {@code bench/run}, as written to {@code results.json}. */
public record BenchResults(String startedAt, String command, Machine machine, Settings settings,
        List<Scenario> scenarios, Limiter limiter, String jvmOptions, Map<String, Double> startupSeconds,
        List<JfrProfile.Summary> profiles) {

    public record Machine(int cores, long memoryMb, String java, String os) {
    }

    public record Settings(double fixedRate, int fixedSeconds, int warmupSeconds, int throttleSeconds,
            List<Integer> throttleConnections, double p99BudgetMs, int hotIds, int totalIds) {
    }

    /** CPU in % of one core over the run, RSS at its end. */
    public record Usage(double cpuPercent, double rssMb) {
    }

    public record Throttle(WrkRun.Result run, Map<String, Usage> processes) {
    }

    /**
     * One configuration and mix: the fixed-rate run (with each JVM's GC pauses during it), the open-throttle runs and
     * the best of them that kept p99 under budget ({@code null} if none did).
     */
    public record Scenario(String id, String path, String mix, LoadResult fixed, Map<String, Usage> processes,
            Map<String, GcPauses> gcPauses, List<Throttle> throttle, WrkRun.Result best) {
    }

    /** The limiter alone, and the gateway with and without it at the fixed rate (p50/p99 differences in ms). */
    public record Limiter(LimiterBenchmark.Result alone, double addedP50Ms, double addedP99Ms) {
    }
}
