package dev.scalableapi.bench.load;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The benchmark's mixes. The wrk script {@code wrk/bench.lua} implements the same three, read from the same
 * numbers, so the fixed-rate and the open-throttle runs do the same work.
 */
public final class Workloads {

    static final String[] TYPES = {"document", "dataset", "image", "model"};

    private Workloads() {
    }

    /** Single resources from a small hot set: after warm-up every read is an L1 hit. */
    public static Workload cachedGet(int hotIds) {
        return sequence -> Call.get("/api/v1/resources/" + (1 + sequence % hotIds));
    }

    /** Half single reads spread over every row (mostly misses), half list queries (never cached). */
    public static Workload uncachedMix(int totalIds) {
        return sequence -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            if (random.nextBoolean()) {
                return Call.get("/api/v1/resources/" + (1 + random.nextInt(totalIds)));
            }
            return Call.get("/api/v1/resources?type=" + TYPES[random.nextInt(TYPES.length)] + "&page="
                    + (1 + random.nextInt(50)) + "&limit=20");
        };
    }

    /** Half creates, half merge-patches of rows the bench key owns (last write wins, no If-Match). */
    public static Workload writeMix(int ownedIds) {
        return sequence -> {
            if (sequence % 2 == 0) {
                return new Call("POST", "/api/v1/resources",
                        "{\"name\":\"bench write " + sequence + "\",\"type\":\"document\",\"description\":\"bench\"}");
            }
            long id = 1 + ThreadLocalRandom.current().nextInt(ownedIds);
            return new Call("PATCH", "/api/v1/resources/" + id, "{\"description\":\"patched " + sequence + "\"}");
        };
    }
}
