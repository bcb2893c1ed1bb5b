package dev.scalableapi.api.cache;

import dev.scalableapi.api.resources.view.ResourceView;

/**
 * A resource as L2 holds it. Encoded as {@code <version>|<fresh-until epoch ms>|<json>}, or {@code D|} for a
 * tombstone left by a delete; the version prefix lets the store's Lua script refuse an older write.
 */
record L2Entry(ResourceView view, long freshUntilMillis, boolean tombstone) {

    boolean isFresh(long nowMillis) {
        return !tombstone && nowMillis < freshUntilMillis;
    }
}
