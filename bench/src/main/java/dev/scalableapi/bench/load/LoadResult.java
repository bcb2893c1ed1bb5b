package dev.scalableapi.bench.load;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** Totals of one load run; latencies in milliseconds, measured from the intended send time. */
public record LoadResult(String name, double targetRate, double seconds, long sent, long ok, long errors,
        Map<String, Long> byStatus, Map<String, Long> byCache, double p50, double p90, double p99, double p999,
        double max, double mean) {

    static LoadResult of(String name, double targetRate, double seconds, Histogram micros,
            Map<String, Long> byStatus, Map<String, Long> byCache) {
        long ok = byStatus.entrySet().stream().filter(e -> isOk(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        long all = byStatus.values().stream().mapToLong(Long::longValue).sum();
        return new LoadResult(name, targetRate, seconds, all, ok, all - ok, new TreeMap<>(byStatus),
                new TreeMap<>(byCache), ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
                ms(micros.getValueAtPercentile(99)), ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()),
                micros.getMean() / 1000.0);
    }

    public double achievedRate() {
        return seconds > 0 ? ok / seconds : 0;
    }

    private static boolean isOk(String label) {
        return label.length() == 3 && (label.charAt(0) == '2' || label.charAt(0) == '3');
    }


    private static double ms(double micros) {
        return Math.round(micros) / 1000.0;
    }
}
