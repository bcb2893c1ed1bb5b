package dev.scalableapi.bench.lists;

import dev.scalableapi.bench.stack.Database;
import dev.scalableapi.bench.stack.Launcher;
import dev.scalableapi.bench.stack.ManagedProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code bench/lists}: the worst list queries the API allows, on 1,000,000 rows, through one api-service replica's
 * HTTP endpoint (its own port 13501, Redis 16390, database of its own). For every filter combination (none, a
 * common type, an owner of a fifth of the rows, both, a rare type) and every allowed sort, it times the deepest
 * numbered page ({@code page × limit} = the maximum offset, with its capped count) and a cursor page from the
 * middle of the list, one request at a time, and writes p50/p99 per query to {@code bench/results/<date>/lists.md}.
 * Two statements the API no longer runs (an exact count of every row, an offset of half the table) are timed over
 * JDBC for comparison. Usage: {@code bench/lists [--quick]} (--quick: 100,000 rows, fewer samples).
 */
public final class ListQueryBench {

    static final int API = 13501;
    static final int REDIS = 16390;
    static final int LIMIT = 100;
    static final int MAX_OFFSET = 10_000;
    static final Duration READY = Duration.ofSeconds(120);
    static final List<String> SORTS = List.of("id", "-id", "createdAt", "-createdAt", "name", "-name");

    private record Filter(String name, String query, String where) {
    }

    private record Shape(Filter filter, String sort, String mode, String path) {
    }

    private record Figure(String filter, String sort, String mode, double p50, double p99, double max, int rows) {
    }

    private ListQueryBench() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        int rows = quick ? 100_000 : 1_000_000;
        int warmup = quick ? 5 : 20;
        int samples = quick ? 30 : 150;
        Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        Path out = root.resolve("bench/results").resolve(quick ? "quick" : LocalDate.now(ZoneOffset.UTC).toString());
        String started = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString();

        Database db = Database.fromEnvironment("lists_bench");
        Launcher launcher = new Launcher(root, root.resolve(".run/bench-lists"), db, REDIS,
                UUID.randomUUID().toString());
        List<ManagedProcess> processes = new ArrayList<>();
        try {
            say("starting Redis :" + REDIS + " and api-service :" + API + " (migrates the schema, V2 indexes included)");
            processes.add(launcher.redis(REDIS).start().awaitPort(READY));
            processes.add(launcher.api("api-lists", API).start().awaitReady(READY));

            long seedStart = System.nanoTime();
            say("seeding " + rows + " rows (insert … select generate_series, every list index in place)");
            seed(db, rows);
            say(String.format(Locale.ROOT, "seeded and vacuumed in %.0f s", secondsSince(seedStart)));

            List<Filter> filters = List.of(
                    new Filter("none", "", ""),
                    new Filter("type=document (1/8 of rows)", "type=document", "type = 'document'"),
                    new Filter("owner=1 (1/5 of rows)", "owner=1", "owner_id = 1"),
                    new Filter("type=document & owner=1", "type=document&owner=1", "type = 'document' and owner_id = 1"),
                    new Filter("type=rare (1 row in 10,000)", "type=rare", "type = 'rare'"));
            List<Shape> shapes = new ArrayList<>();
            for (Filter filter : filters) {
                for (String sort : SORTS) {
                    String base = "/api/v1/resources?limit=" + LIMIT + "&sort=" + sort
                            + (filter.query().isEmpty() ? "" : "&" + filter.query());
                    shapes.add(new Shape(filter, sort, "deepest page (page " + MAX_OFFSET / LIMIT + ")",
                            base + "&page=" + MAX_OFFSET / LIMIT));
                    String cursor = middleCursor(db, filter, sort);
                    if (cursor != null) {
                        shapes.add(new Shape(filter, sort, "cursor page from the middle",
                                base + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
                    }
                }
            }
            String loadBefore = loadAverage();
            List<Figure> figures = measure(shapes, warmup, samples);
            String loadAfter = loadAverage();
            Map<String, double[]> unbounded = new LinkedHashMap<>();
            unbounded.put("select count(*) from resources (the exact total every call paid)",
                    timeJdbc(db, "select count(*) from resources", quick ? 3 : 10));
            unbounded.put("offset " + rows / 2 + " limit " + LIMIT + " order by name (a page half-way down)",
                    timeJdbc(db, "select * from resources order by name, id offset " + rows / 2 + " limit " + LIMIT,
                            quick ? 3 : 10));
            String report = report(started, rows, samples, figures, unbounded, loadBefore, loadAfter);
            Files.createDirectories(out);
            Files.writeString(out.resolve("lists.md"), report);
            System.out.println();
            System.out.println(report);
            say("written to " + out.resolve("lists.md"));
        } finally {
            for (int i = processes.size() - 1; i >= 0; i--) {
                processes.get(i).stop(Duration.ofSeconds(20));
            }
        }
    }

    /**
     * 1/8 of rows per common type and a rare one; owner 1 holds a fifth, 999 others the rest; every name 20 times
     * and every creation time 4 times, neither in id order, so each sort meets ties and leaves the heap order.
     */
    private static void seed(Database db, int rows) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("""
                    insert into resources (name, type, description, owner_id, created_at, updated_at)
                    select 'resource ' || md5((n %% %1$d)::text),
                           case when n %% 10000 = 0 then 'rare'
                                else (array['document','dataset','image','model','feed','widget','page','report'])[1 + n %% 8] end,
                           'seeded by bench/lists',
                           case when n %% 5 = 0 then 1 else 2 + n %% 999 end,
                           timestamptz '2026-01-01 00:00:00+00' + ((n * 7919::bigint) %% %2$d / 4) * interval '1 second',
                           now()
                    from generate_series(1, %2$d) as n""".formatted(rows / 20, rows));
            s.execute("vacuum analyze resources");
        }
    }

    /** The cursor a client would hold half-way through the filtered list in this sort (built from that row). */
    private static String middleCursor(Database db, Filter filter, String sort) throws SQLException {
        boolean descending = sort.startsWith("-");
        String field = descending ? sort.substring(1) : sort;
        String column = switch (field) {
            case "createdAt" -> "created_at";
            default -> field;
        };
        String direction = descending ? " desc" : "";
        String where = filter.where().isEmpty() ? "" : " where " + filter.where();
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet count = s.executeQuery("select count(*) from resources" + where)) {
            count.next();
            long half = count.getLong(1) / 2;
            if (half == 0) {
                return null;
            }
            try (ResultSet row = s.executeQuery("select id, name, created_at from resources" + where + " order by "
                    + column + direction + ", id" + direction + " offset " + half + " limit 1")) {
                row.next();
                String plain = sort + ":" + row.getLong("id") + switch (field) {
                    case "createdAt" -> {
                        Instant at = row.getObject("created_at", OffsetDateTime.class).toInstant();
                        yield ":" + at.getEpochSecond() + "." + at.getNano();
                    }
                    case "name" -> ":" + row.getString("name");
                    default -> "";
                };
                return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Every query {@code warmup} times, then {@code samples} rounds of each query once, one request at a time:
     * interleaved, so that a burst of load from elsewhere on the machine spreads over every query's figures
     * instead of landing on whichever query ran at that moment.
     */
    private static List<Figure> measure(List<Shape> shapes, int warmup, int samples)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<HttpRequest> requests = shapes.stream().map(shape -> HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + API + shape.path())).timeout(Duration.ofSeconds(10)).build()).toList();
        for (int i = 0; i < warmup; i++) {
            for (int q = 0; q < shapes.size(); q++) {
                check(http.send(requests.get(q), HttpResponse.BodyHandlers.ofString()), shapes.get(q).path());
            }
        }
        long[][] nanos = new long[shapes.size()][samples];
        int[] rows = new int[shapes.size()];
        for (int i = 0; i < samples; i++) {
            for (int q = 0; q < shapes.size(); q++) {
                long start = System.nanoTime();
                HttpResponse<String> response = http.send(requests.get(q), HttpResponse.BodyHandlers.ofString());
                nanos[q][i] = System.nanoTime() - start;
                check(response, shapes.get(q).path());
                rows[q] = countRows(response.body());
            }
        }
        List<Figure> figures = new ArrayList<>();
        for (int q = 0; q < shapes.size(); q++) {
            Shape shape = shapes.get(q);
            long[] sorted = nanos[q];
            Arrays.sort(sorted);
            Figure figure = new Figure(shape.filter().name(), shape.sort(), shape.mode(),
                    millis(percentile(sorted, 0.50)), millis(percentile(sorted, 0.99)),
                    millis(sorted[sorted.length - 1]), rows[q]);
            say(String.format(Locale.ROOT, "%-28s sort=%-11s %-30s p50 %6.2f ms  p99 %6.2f ms  (%d rows)",
                    figure.filter(), figure.sort(), figure.mode(), figure.p50(), figure.p99(), figure.rows()));
            figures.add(figure);
        }
        return figures;
    }

    /** This machine's 1-minute load average: what else ran beside the bench. */
    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static double[] timeJdbc(Database db, String sql, int runs) throws SQLException {
        long[] nanos = new long[runs];
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("set statement_timeout = 0");
            s.executeQuery(sql).close();
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                s.executeQuery(sql).close();
                nanos[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        return new double[] {millis(percentile(nanos, 0.50)), millis(nanos[nanos.length - 1])};
    }

    private static void check(HttpResponse<String> response, String path) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** Items in {@code data}: each carries exactly one {@code "ownerId"}. */
    private static int countRows(String body) {
        int rows = 0;
        for (int at = body.indexOf("\"ownerId\""); at >= 0; at = body.indexOf("\"ownerId\"", at + 1)) {
            rows++;
        }
        return rows;
    }

    private static String report(String started, int rows, int samples, List<Figure> figures,
            Map<String, double[]> unbounded, String loadBefore, String loadAfter) {
        Figure worst = figures.stream().max((a, b) -> Double.compare(a.p99(), b.p99())).orElseThrow();
        StringBuilder md = new StringBuilder("# List queries on ").append(String.format(Locale.ROOT, "%,d", rows))
                .append(" rows (bench/lists)\n\n")
                .append("Started ").append(started).append("; one api-service replica (production profile) and its ")
                .append("own PostgreSQL; ").append(samples).append(" requests per query, one at a time, limit=")
                .append(LIMIT).append(", over HTTP (latency as the client sees it), the queries interleaved. ")
                .append("Load average of the 2-core machine: ").append(loadBefore).append(" before the measurements, ")
                .append(loadAfter).append(" after.\n\n")
                .append(String.format(Locale.ROOT, "**Worst p99: %.1f ms** (%s, sort=%s, %s).%n%n", worst.p99(),
                        worst.filter(), worst.sort(), worst.mode()))
                .append("| filter | sort | query | p50 ms | p99 ms | max ms | rows |\n|---|---|---|---|---|---|---|\n");
        for (Figure f : figures) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %.2f | %d |%n", f.filter(), f.sort(),
                    f.mode(), f.p50(), f.p99(), f.max(), f.rows()));
        }
        md.append("\nStatements the API no longer runs, over JDBC (p50 / max ms):\n\n");
        unbounded.forEach((sql, t) -> md.append(String.format(Locale.ROOT, "- %s: %.1f / %.1f%n", sql, t[0], t[1])));
        return md.toString();
    }

    private static long percentile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static double secondsSince(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void say(String message) {
        System.out.println("\033[1m==>\033[0m " + message);
    }
}
