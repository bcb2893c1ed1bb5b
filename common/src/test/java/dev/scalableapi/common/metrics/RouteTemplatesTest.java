package dev.scalableapi.common.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTemplatesTest {

    private final RouteTemplates templates = RouteTemplates.of(List.of("/api/v1/resources",
            "/api/v1/resources/{id}", "/api/v1/internal/circuit-breakers/{name}/reset",
            "/api/v1/internal/circuit-breakers/all/status", "/api/version"));

    @Test
    void aPlaceholderMatchesAnyOneSegment() {
        assertEquals("/api/v1/resources/{id}", templates.match("/api/v1/resources/42"));
        assertEquals("/api/v1/resources/{id}", templates.match("/api/v1/resources/not-a-number"));
        assertEquals("/api/v1/internal/circuit-breakers/{name}/reset",
                templates.match("/api/v1/internal/circuit-breakers/database/reset"));
    }

    @Test
    void literalsMatchOnlyThemselves() {
        assertEquals("/api/v1/resources", templates.match("/api/v1/resources"));
        assertEquals("/api/version", templates.match("/api/version"));
        assertNull(templates.match("/api/v1/resource"));
        assertNull(templates.match("/api/v1/resourcesX/1"));
        assertNull(templates.match("/API/version"));
        assertNull(templates.match("/api"));
        assertNull(templates.match("/"));
        assertNull(templates.match(""));
    }

    @Test
    void extraOrMissingSegmentsDoNotMatch() {
        assertNull(templates.match("/api/v1/resources/42/history"));
        assertNull(templates.match("/api/v1/internal/circuit-breakers/database"));
        assertNull(templates.match("/api/version/2"));
    }

    @Test
    void aLiteralWinsThenThePlaceholderIsTried() {
        assertEquals("/api/v1/internal/circuit-breakers/all/status",
                templates.match("/api/v1/internal/circuit-breakers/all/status"));
        // "all" leads nowhere for ".../reset": the placeholder branch still matches
        assertEquals("/api/v1/internal/circuit-breakers/{name}/reset",
                templates.match("/api/v1/internal/circuit-breakers/all/reset"));
    }

    @Test
    void emptySegmentsAreSkipped() {
        assertEquals("/api/v1/resources", templates.match("/api/v1/resources/"));
        assertEquals("/api/v1/resources/{id}", templates.match("//api//v1/resources/7/"));
    }

    @Test
    void longPathsEndTheScanEarly() {
        assertNull(templates.match("/api/v1/resources/1/" + "x/".repeat(100_000)));
        assertNull(templates.match("/" + "a".repeat(100_000)));
    }

    @Test
    void badTemplatesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RouteTemplates.of(List.of("api/v1/resources")));
        assertThrows(IllegalArgumentException.class,
                () -> RouteTemplates.of(List.of("/api/v1/resources/{id}", "/api/v1/resources/{key}")));
    }
}
