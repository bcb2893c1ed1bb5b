package dev.scalableapi.common.limits;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The request line and header sizes a service accepts (README: {@code MAX_REQUEST_LINE}, {@code MAX_HEADER_SIZE}). */
@ConfigMapping(prefix = "request-head")
public interface RequestHeadLimits {

    /** Longest request line (method, target, version); longer → 414 {@code URI_TOO_LONG}. */
    @WithDefault("4K")
    MemorySize maxRequestLine();

    /** Largest sum of header lines; larger → 431 {@code HEADERS_TOO_LARGE}. */
    @WithDefault("20K")
    MemorySize maxHeaderSize();
}
