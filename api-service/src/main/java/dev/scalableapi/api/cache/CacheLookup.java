package dev.scalableapi.api.cache;

import dev.scalableapi.api.resources.view.ResourceView;

/** A resource read through the cache and the level that answered. */
public record CacheLookup(ResourceView view, CacheStatus status) {
}
