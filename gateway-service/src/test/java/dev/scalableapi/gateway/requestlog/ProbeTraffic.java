package dev.scalableapi.gateway.requestlog;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;

/** Many requests to {@link ProbeRoutes}, a few at a time, each with its own request id; fails on any other status. */
final class ProbeTraffic {

    private static final int IN_FLIGHT = 8;

    private ProbeTraffic() {
    }

    /** Sends {@code count} GETs of {@code pathAndQuery.apply(i)} with X-Request-ID {@code idPrefix + i}. */
    static void send(URI base, int count, String idPrefix, IntFunction<String> pathAndQuery, IntFunction<Integer> status)
            throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        Semaphore slots = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<Void>> sent = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int n = i;
            slots.acquire();
            HttpRequest request = HttpRequest.newBuilder(base.resolve(pathAndQuery.apply(n)))
                    .header("X-Request-ID", idPrefix + n).timeout(Duration.ofSeconds(30)).GET().build();
            sent.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> slots.release())
                    .thenAccept(response -> {
                        if (response.statusCode() != status.apply(n)) {
                            throw new AssertionError("request " + n + " answered " + response.statusCode());
                        }
                    }));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    }
}
