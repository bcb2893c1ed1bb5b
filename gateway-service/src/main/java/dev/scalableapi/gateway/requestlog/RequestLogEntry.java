package dev.scalableapi.gateway.requestlog;

import java.time.Instant;

/**
 * What the queue carries for one finished request: its row ({@link RequestLogRecord}), or only what its API key's
 * usage counters need when sampling left the row out ({@link SampledOutRequest}). Usage is counted from both, so it
 * stays exact whatever the sample rate.
 */
public sealed interface RequestLogEntry permits RequestLogRecord, SampledOutRequest {

    /** The API key the request was made with, or null. */
    Long keyId();

    Instant occurredAt();

    int status();
}
