package dev.scalableapi.gateway.fleet;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counts this replica's API requests for the current interval, in memory and lock-free (an HdrHistogram
 * {@link Recorder} and adders): the request path never writes to Redis for metrics. {@link #swap} hands the
 * interval's figures to the publisher and starts the next one.
 */
@ApplicationScoped
public class FleetRecorder {

    /** One interval's figures, detached from the recorder. */
    /** @param byClass requests answered 2xx (and 1xx), 3xx, 4xx, 5xx */
    public record Interval(long requests, long[] byClass, long blocked, Map<String, Long> blockedBy,
            Histogram latency) {
    }

    private static final String OTHER = "other";

    private final Recorder latency = new Recorder(3);
    private final LongAdder[] byClass = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
    private final LongAdder blocked = new LongAdder();
    private final int maxSubjects;
    private volatile ConcurrentHashMap<String, LongAdder> blockedBy = new ConcurrentHashMap<>();

    FleetRecorder(FleetConfig config) {
        this.maxSubjects = config.blockedSubjectsPerSnapshot();
    }

    /** One finished API request; {@code blockedSubject} is set when the rate limiter refused it. */
    public void record(int status, long latencyNanos, String blockedSubject) {
        latency.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(latencyNanos)));
        byClass[status < 300 ? 0 : status < 400 ? 1 : status < 500 ? 2 : 3].increment();
        if (blockedSubject != null) {
            blocked.increment();
            ConcurrentHashMap<String, LongAdder> subjects = blockedBy;
            String subject = subjects.size() < maxSubjects || subjects.containsKey(blockedSubject)
                    ? blockedSubject : OTHER;
            subjects.computeIfAbsent(subject, s -> new LongAdder()).increment();
        }
    }

    /** The figures since the previous swap. A request ending during the swap lands in one interval or the next. */
    public synchronized Interval swap() {
        Histogram histogram = latency.getIntervalHistogram();
        long[] classes = new long[byClass.length];
        long requests = 0;
        for (int i = 0; i < classes.length; i++) {
            classes[i] = byClass[i].sumThenReset();
            requests += classes[i];
        }
        ConcurrentHashMap<String, LongAdder> subjects = blockedBy;
        blockedBy = new ConcurrentHashMap<>();
        Map<String, Long> counts = new HashMap<>();
        subjects.forEach((subject, count) -> counts.put(subject, count.sum()));
        return new Interval(requests, classes, blocked.sumThenReset(), counts, histogram);
    }
}
