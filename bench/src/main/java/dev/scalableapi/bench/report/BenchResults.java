package dev.scalableapi.bench.report;

import dev.scalableapi.bench.limiter.LimiterBenchmark;
import dev.scalableapi.bench.profile.JfrProfile;
import dev.scalableapi.bench.stack.GcPauses;
import dev.scalableapi.bench.load.LoadResult;
import dev.scalableapi.bench.wrk.WrkRun;
import java.util.Arrays;
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

    /**
     * The limiter alone; the gateway with and without it at the fixed rate (p50/p99 differences in ms); and the two
     * alternated in closed loop ({@code null} if not measured).
     */
    public record Limiter(LimiterBenchmark.Result alone, double addedP50Ms, double addedP99Ms,
            Alternation alternated) {
    }

    /**
     * Closed-loop runs of the gateway with ({@code on}) and without ({@code off}) the limiter, taken in pairs in the
     * order on, off, off, on, on, off, …: a host that drifts faster or slower over the minute then weighs on both
     * sides alike, where two best-of runs minutes apart differed by more than the limiter costs (+6 % one run, -13 %
     * the next, same code).
     */
    public record Alternation(int connections, int seconds, List<Double> on, List<Double> off) {

        /** The median over the pairs of on ÷ off, minus one: the limiter's closed-loop cost (negative: it costs). */
        public double medianChange() {
            double[] ratios = new double[on.size()];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = on.get(i) / off.get(i);
            }
            Arrays.sort(ratios);
            int mid = ratios.length / 2;
            double median = ratios.length % 2 == 1 ? ratios[mid] : (ratios[mid - 1] + ratios[mid]) / 2;
            return median - 1;
        }
    }
}
