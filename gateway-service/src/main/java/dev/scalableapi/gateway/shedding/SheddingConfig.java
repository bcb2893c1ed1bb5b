package dev.scalableapi.gateway.shedding;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The load shedder's knobs ({@link StandingQueueLimit} explains what they control). */
@ConfigMapping(prefix = "gateway.shedding")
public interface SheddingConfig {

    @WithDefault("true")
    boolean enabled();

    /**
     * How often the limit is judged: a window closes after this long once it holds enough completed requests for
     * its shortest latency to mean something.
     */
    @WithDefault("100ms")
    Duration window();

    /**
     * Queueing delay tolerated: while even the fastest two fifths of a window's requests wait longer than this over
     * the no-load latency, a queue stands. It says when a queue is overload; once the gateway sheds, the hold delay
     * says how long admitted requests wait.
     */
    @WithDefault("20ms")
    Duration targetDelay();

    /**
     * Once the gateway sheds, the queueing delay admitted requests are held to (their mean latency over the usual
     * one), unless a window's mean is too noisy to measure so little: the target says when a queue is overload;
     * past that, a queue need only keep the services busy, and waiting the whole target would more than double the
     * latency of requests that usually take a few milliseconds.
     */
    @WithDefault("2ms")
    Duration holdDelay();

    /**
     * How long a standing queue must last before the gateway sheds: the queue a stall or a burst leaves drains
     * by itself within a few times the stall's length at normal load, and that is not overload.
     */
    @WithDefault("2s")
    Duration persistence();

    /** How long the no-load latency (the shortest latency seen) is remembered, so it follows a changed workload. */
    @WithDefault("60s")
    Duration baselineHorizon();

    /** The floor: under overload the limit never goes below this many concurrent requests. */
    @WithDefault("20")
    int minLimit();

    /** The ceiling, and the limit whenever the gateway is not overloaded. */
    @WithDefault("2000")
    int maxLimit();
}
