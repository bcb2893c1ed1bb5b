package dev.scalableapi.bench.drills;

import dev.scalableapi.bench.load.Call;
import dev.scalableapi.bench.load.OpenModelLoad;
import dev.scalableapi.bench.load.Outcome;
import dev.scalableapi.bench.load.Target;
import dev.scalableapi.bench.load.Workloads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Steady load through both gateways during one drill: readers (cached GETs) and a writer whose creates carry
 * unique names. The client fails over to the other gateway only when it could not connect (nothing was sent),
 * as an ingress does. Every outcome is kept for the drill's analysis.
 */
final class DrillLoad {

    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    static DrillLoad start(OpenModelLoad load, List<Target> gateways, String key, double readRate, double writeRate,
            int readIds, String namePrefix, AckedWrites acked) {
        DrillLoad drill = new DrillLoad();
        Map<String, String> headers = Map.of("X-API-Key", key);
        OpenModelLoad.Settings reads = new OpenModelLoad.Settings(gateways, headers, readRate, Duration.ofHours(1),
                true, false, 64, 20_000, Duration.ofSeconds(10));
        OpenModelLoad.Settings writes = new OpenModelLoad.Settings(gateways, headers, writeRate, Duration.ofHours(1),
                true, true, 32, 20_000, Duration.ofSeconds(10));
        drill.thread(() -> load.run("reads", Workloads.cachedGet(readIds), reads, drill.outcomes::add, drill.stop));
        drill.thread(() -> load.run("writes", sequence -> new Call("POST", "/api/v1/resources",
                "{\"name\":\"" + namePrefix + sequence + "\",\"type\":\"drill\"}"), writes, outcome -> {
                    drill.outcomes.add(outcome);
                    acked.accept(outcome);
                }, drill.stop));
        return drill;
    }

    private void thread(Runnable body) {
        Thread thread = new Thread(body, "drill-load-" + threads.size());
        threads.add(thread);
        thread.start();
    }

    List<Outcome> stop() throws InterruptedException {
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        return new ArrayList<>(outcomes);
    }
}
