package dev.scalableapi.systemtests.fuzz;

import dev.scalableapi.systemtests.support.RawHttp;

/**
 * One generated bad request, its kind ({@code family / variant}, for the failure message and the summary) and, where
 * only one answer is right, its status.
 */
record Attack(String kind, RawHttp.Request request, int expectedStatus) {

    /** A request whose only requirements are the general ones: no 5xx, the envelope on errors. */
    static Attack of(RawHttp.Request request) {
        return new Attack("", request, 0);
    }

    /** A request for which exactly one status is right. */
    static Attack expecting(int status, RawHttp.Request request) {
        return new Attack("", request, status);
    }

    Attack labelled(String kind) {
        return new Attack(kind, request, expectedStatus);
    }

    @Override
    public String toString() {
        return kind + " " + request.describe();
    }
}
