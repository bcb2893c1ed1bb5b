package dev.scalableapi.gateway.requestlog;

import java.time.Instant;

/**
 * A keyed request whose row sampling left out: queued only so that the key's hourly usage and last use stay exact.
 * Requests without a key that are sampled out are not queued at all.
 */
public record SampledOutRequest(Long keyId, Instant occurredAt, int status) implements RequestLogEntry {
}
