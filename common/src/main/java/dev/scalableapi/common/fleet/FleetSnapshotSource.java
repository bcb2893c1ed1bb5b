package dev.scalableapi.common.fleet;

import io.smallrye.mutiny.Uni;
import java.time.Duration;

/**
 * One service's part in the fleet snapshots: what it publishes, how it writes that to Redis, and what it keeps
 * when Redis did not take it. The {@link FleetSnapshotPublisher} calls one method at a time, so an implementation
 * needs no locking of its own.
 *
 * @param <S> one snapshot, as taken and written
 */
public interface FleetSnapshotSource<S> {

    /** How often a snapshot is taken. */
    Duration interval();

    /** What was recorded since the last snapshot Redis took; null when there is nothing to write. */
    S take();

    /** Writes the snapshot to Redis; fails when Redis did not take it. */
    Uni<Void> write(S snapshot);

    /** Redis took the snapshot. */
    void published(S snapshot);

    /** Redis did not take the snapshot: what it carried goes into the next one. */
    void kept(S snapshot);
}
