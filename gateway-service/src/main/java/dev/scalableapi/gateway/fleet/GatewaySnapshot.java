package dev.scalableapi.gateway.fleet;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Map;

/**
 * What one gateway replica publishes each interval about the API requests it handled (admin, health and
 * dashboard calls excluded).
 *
 * @param latency   HdrHistogram of response times in microseconds, compressed and base64-encoded
 * @param blockedBy 429s ({@code RATE_LIMIT_EXCEEDED} or {@code QUOTA_EXCEEDED}) by rate-limit subject
 */
@RegisterForReflection
public record GatewaySnapshot(String instance, long seq, long intervalStart, long intervalSeconds, long requests,
        long status2xx, long status3xx, long status4xx, long status5xx, long blocked, Map<String, Long> blockedBy,
        String latency) {
}
