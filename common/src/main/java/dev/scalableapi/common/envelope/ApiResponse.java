package dev.scalableapi.common.envelope;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Success envelope of the brief: {@code {"data": …, "meta": {…}}}. */
@RegisterForReflection
public record ApiResponse<T>(T data, Meta meta) {

    public static <T> ApiResponse<T> of(T data) {
        return new ApiResponse<>(data, Meta.now());
    }

    public static <T> ApiResponse<T> page(T data, Pagination pagination) {
        return new ApiResponse<>(data, Meta.now(pagination));
    }
}
