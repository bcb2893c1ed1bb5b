package dev.scalableapi.gateway.accounts;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Many logins at once: every request is built first, then all are sent without waiting for any answer. */
final class ParallelLogins {

    /** One answer: status, {@code Retry-After} (or null) and the body. */
    record Answer(int status, String retryAfter, JsonObject body) {

        String code() {
            JsonObject error = body.getJsonObject("error");
            return error == null ? null : error.getString("code");
        }
    }

    /** One attempt's email, password and client address. */
    record Attempt(String email, String password, String ip) {
    }

    private ParallelLogins() {
    }

    static List<Answer> send(URI login, int count, IntFunction<Attempt> attempt) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        List<HttpRequest> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Attempt a = attempt.apply(i);
            HttpRequest request = HttpRequest.newBuilder(login).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").header("X-Forwarded-For", a.ip())
                    .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("email", a.email())
                            .put("password", a.password()).encode()))
                    .build();
            requests.add(request);
        }
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (HttpRequest request : requests) {
            answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .thenApply(r -> new Answer(r.statusCode(), r.headers().firstValue("Retry-After").orElse(null),
                            new JsonObject(r.body()))));
        }
        List<Answer> done = new ArrayList<>();
        for (CompletableFuture<Answer> answer : answers) {
            done.add(answer.get(90, TimeUnit.SECONDS));
        }
        return done;
    }
}
