package dev.scalableapi.balancer.support;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Concurrent GET load through the balancer: {@code clients} workers send requests back to back until a request
 * count is reached or {@link #stop()} is called, counting statuses, {@code X-Served-By} and transport errors.
 */
public final class Load implements AutoCloseable {

    private final HttpClient http;
    private final ExecutorService workers;
    private final List<Future<?>> running = new ArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicInteger remaining = new AtomicInteger(Integer.MAX_VALUE);
    private final Map<String, LongAdder> servedBy = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    private final LongAdder completed = new LongAdder();

    private Load(int clients) {
        workers = Executors.newFixedThreadPool(clients);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Executors.newFixedThreadPool(4))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Starts {@code clients} workers sending {@code GET path} until stopped. */
    public static Load start(int clients, String path) {
        Load load = new Load(clients);
        for (int i = 0; i < clients; i++) {
            load.running.add(load.workers.submit(() -> load.loop(path)));
        }
        return load;
    }

    /** Sends {@code total} GETs from {@code clients} concurrent workers and waits for all of them. */
    public static Load run(int clients, int total, String path) {
        Load load = new Load(clients);
        load.remaining.set(total);
        for (int i = 0; i < clients; i++) {
            load.running.add(load.workers.submit(() -> load.loop(path)));
        }
        load.awaitWorkers();
        return load;
    }

    private void loop(String path) {
        HttpRequest request = HttpRequest.newBuilder(Lb.uri(path)).timeout(Duration.ofSeconds(20)).GET().build();
        while (!stopped.get() && remaining.getAndDecrement() > 0) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                statuses.computeIfAbsent(response.statusCode(), k -> new LongAdder()).increment();
                response.headers().firstValue("X-Served-By")
                        .ifPresent(b -> servedBy.computeIfAbsent(b, k -> new LongAdder()).increment());
                if (response.statusCode() != 200) {
                    errors.add(response.statusCode() + " " + response.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                errors.add(e.toString());
            }
            completed.increment();
        }
    }

    public long completed() {
        return completed.sum();
    }

    public long servedBy(String backend) {
        LongAdder count = servedBy.get(backend);
        return count == null ? 0 : count.sum();
    }

    public long status(int status) {
        LongAdder count = statuses.get(status);
        return count == null ? 0 : count.sum();
    }

    public List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    public Map<String, Long> servedByAll() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        servedBy.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    public Load stop() {
        stopped.set(true);
        awaitWorkers();
        return this;
    }

    private void awaitWorkers() {
        try {
            for (Future<?> future : running) {
                future.get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("load workers did not finish", e);
        }
    }

    /** Interrupts the workers mid-request: their clients give up and drop connections at arbitrary points. */
    public void abort() {
        stopped.set(true);
        workers.shutdownNow();
    }

    /** Lets in-flight requests finish (interrupting them would abort them mid-exchange), then stops the pool. */
    @Override
    public void close() {
        stopped.set(true);
        workers.shutdown();
        try {
            workers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
    }
}
