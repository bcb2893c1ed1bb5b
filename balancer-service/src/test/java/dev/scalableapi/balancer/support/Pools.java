package dev.scalableapi.balancer.support;

import dev.scalableapi.balancer.endpoints.BackendAddress;
import dev.scalableapi.balancer.endpoints.BackendPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Backend pools for unit tests: no discovery, no sockets, just addresses. */
public final class Pools {

    private Pools() {
    }

    /** One backend per weight, at 10.0.0.1:8080, 10.0.0.2:8080, … */
    public static BackendPool withWeights(int... weights) {
        List<BackendAddress> addresses = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            addresses.add(new BackendAddress("10.0.0." + (i + 1), 8080, weights[i], 9000));
        }
        BackendPool pool = new BackendPool();
        pool.replace(addresses);
        return pool;
    }

    public static BackendPool ofSize(int backends) {
        int[] weights = new int[backends];
        Arrays.fill(weights, 1);
        return withWeights(weights);
    }
}
