package dev.scalableapi.systemtests.fuzz;

import dev.scalableapi.systemtests.support.RawHttp;

/** One generated bad request, its kind (for the failure message) and, where only one answer is right, its status. */
record Attack(String kind, RawHttp.Request request, int expectedStatus) {

    static Attack of(String kind, RawHttp.Request request) {
        return new Attack(kind, request, 0);
    }

    @Override
    public String toString() {
        return kind + " " + request.describe();
    }
}
