package dev.scalableapi.gateway.requestlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Ids in paths collapse to {id} so routes stay few; words, the query and overlong tails do not survive. */
class RouteTemplateTest {

    @Test
    void numericUuidAndLongHexSegmentsBecomeId() {
        assertEquals("/api/v1/resources/{id}", RouteTemplate.of("/api/v1/resources/42?x=1"));
        assertEquals("/api/v1/users/{id}/keys/{id}",
                RouteTemplate.of("/api/v1/users/7/keys/3F2504E0-4F89-11D3-9A0C-0305E82C3301"));
        assertEquals("/objects/{id}", RouteTemplate.of("/objects/507f1f77bcf86cd799439011"));
    }

    @Test
    void wordsTrailingSlashesAndRootAreKept() {
        assertEquals("/api/v1/resources/", RouteTemplate.of("/api/v1/resources/"));
        assertEquals("/api/v1/deadbeefdeadbeefcafe", RouteTemplate.of("/api/v1/deadbeefdeadbeefcafe"));
        assertEquals("/api/v2abc/status", RouteTemplate.of("/api/v2abc/status"));
        assertEquals("/", RouteTemplate.of("/"));
        assertEquals("/", RouteTemplate.of(null));
    }

    @Test
    void longRoutesAreCutToTheColumn() {
        assertEquals(200, RouteTemplate.of("/" + "a".repeat(5000)).length());
    }
}
