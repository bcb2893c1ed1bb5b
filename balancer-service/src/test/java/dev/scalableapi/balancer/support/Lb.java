package dev.scalableapi.balancer.support;

import dev.scalableapi.testsupport.Management;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.netty.util.concurrent.EventExecutor;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;

/** The balancer as tests see it: its URL, /lb/status, /q/metrics, and a wait for a clean slate. */
public final class Lb {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Lb() {
    }

    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    public static URI uri(String path) {
        return URI.create("http://localhost:" + port() + path);
    }

    /** The /lb/status view of one backend. */
    public static Map<String, Object> status(TestBackend backend) {
        JsonPath json = given().get("/lb/status").then().statusCode(200).extract().jsonPath();
        return json.getMap("data.backends.find { it.id == '" + backend.id() + "' }");
    }

    public static boolean healthy(TestBackend backend) {
        return Boolean.TRUE.equals(status(backend).get("healthy"));
    }

    public static String breaker(TestBackend backend) {
        return (String) status(backend).get("breaker");
    }

    public static JsonPath statusJson() {
        return given().get("/lb/status").then().statusCode(200).extract().jsonPath();
    }

    public static String metrics() {
        return Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /**
     * The value of the Prometheus sample {@code name{labels…}}; {@code labels} is a fragment such as
     * {@code backend="127.0.0.1:1234",outcome="success"} that must appear in the label set. 0 when absent.
     */
    public static double metric(String metrics, String name, String labels) {
        return series(metrics, name).entrySet().stream().filter(series -> containsAll(series.getKey(), labels))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Every series of {@code name}: its label set as written ({@code a="x",b="y"}, "" for none) → its value. */
    public static Map<String, Double> series(String metrics, String name) {
        // label values may hold braces (uri="/api/v1/resources/{id}"): only quotes delimit them
        Pattern line = Pattern.compile("^" + Pattern.quote(name)
                + "(?:\\{((?:[^\"}]|\"(?:[^\"\\\\]|\\\\.)*\")*)\\})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(metrics);
        Map<String, Double> series = new LinkedHashMap<>();
        while (m.find()) {
            series.put(m.group(1) == null ? "" : m.group(1), Double.parseDouble(m.group(2)));
        }
        return series;
    }

    public static double metric(String name, String labels) {
        return metric(metrics(), name, labels);
    }

    private static boolean containsAll(String actual, String wanted) {
        for (String label : wanted.split(",(?=[a-z_]+=)")) {
            if (!label.isBlank() && !actual.contains(label.trim())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parks every event loop of the balancer ({@code vertx} is its own, injected) until the returned handle is
     * closed: whatever reaches it meanwhile — a request, a backend's reset — waits in the kernel and is then handled
     * in an order the test does not fix.
     */
    @SuppressWarnings("deprecation") // nettyEventLoopGroup(): Vert.x 4.5's only public way to every event loop
    public static AutoCloseable pauseEventLoops(Vertx vertx) throws InterruptedException {
        List<EventExecutor> loops = new ArrayList<>();
        vertx.nettyEventLoopGroup().forEach(loops::add);
        CountDownLatch parked = new CountDownLatch(loops.size());
        CountDownLatch released = new CountDownLatch(1);
        for (EventExecutor loop : loops) {
            loop.execute(() -> {
                parked.countDown();
                try {
                    released.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        if (!parked.await(10, TimeUnit.SECONDS)) {
            released.countDown();
            throw new IllegalStateException("the balancer's event loops did not park");
        }
        return released::countDown;
    }

    public static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Resets every backend and waits until the balancer sees all of them healthy with a closed breaker. An ejected
     * backend only closes after a successful trial request, so a few requests are sent while waiting.
     */
    public static void awaitCleanSlate() {
        Backends.resetAll();
        try {
            awaitAllHealthyAndClosed();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no clean slate; /lb/status: " + statusJson().prettify(), e);
        }
    }

    private static void awaitAllHealthyAndClosed() {
        await("all backends healthy and CLOSED").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    JsonPath json = statusJson();
                    boolean clean = json.getList("data.backends").size() == Backends.COUNT
                            && json.getList("data.backends.findAll { it.healthy && it.breaker == 'CLOSED' }")
                                    .size() == Backends.COUNT
                            && json.getInt("data.retries.activeRequests") == 0;
                    if (!clean) {
                        for (int i = 0; i < Backends.COUNT * 2; i++) {
                            get("/api/v1/status");
                        }
                    }
                    return clean;
                });
    }
}
