package dev.scalableapi.gateway.shedding;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Adaptive concurrency limit (Netflix concurrency-limits, Gradient2) in front of the proxy. */
@ConfigMapping(prefix = "gateway.shedding")
public interface SheddingConfig {

    @WithDefault("true")
    boolean enabled();

    @WithDefault("200")
    int initialLimit();

    /** The floor: the limit never adapts below this many concurrent requests. */
    @WithDefault("50")
    int minLimit();

    @WithDefault("2000")
    int maxLimit();
}
