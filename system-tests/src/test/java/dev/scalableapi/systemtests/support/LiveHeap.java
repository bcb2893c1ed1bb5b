package dev.scalableapi.systemtests.support;

import dev.scalableapi.testsupport.PackagedJar;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A running service's live heap: what survives a full collection, to compare before and after a run. */
public final class LiveHeap {

    private LiveHeap() {
    }

    /**
     * Live heap after a full collection (forced with {@code jcmd GC.run}), from the service's own
     * {@code jvm_memory_used_bytes{area="heap"}}.
     */
    public static long afterFullGc(PackagedJar service) throws IOException, InterruptedException {
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(service.pid()), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        if (!gc.waitFor(30, TimeUnit.SECONDS) || gc.exitValue() != 0) {
            throw new IllegalStateException("jcmd GC.run failed for " + service.name());
        }
        return service.getManagement("/q/metrics", Map.of()).body().lines()
                .filter(line -> line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
