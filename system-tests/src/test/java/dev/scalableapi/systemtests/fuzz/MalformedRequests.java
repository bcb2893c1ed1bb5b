package dev.scalableapi.systemtests.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.systemtests.support.RawHttp.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;

/**
 * Generators of bad requests: one family per kind of abuse the issue names, each made of variants, families mixed
 * by weight. A variant known to meet an open defect is kept here, marked with {@link #knownDefect}, and left out of
 * the default run until the defect is fixed ({@code -Dfuzz.knownDefects=include} puts it back).
 */
final class MalformedRequests {

    /** One way to build a bad request; {@code knownDefect} names the open defect it meets, or is null. */
    record Variant(String name, Function<Gen, Attack> make, String knownDefect) {
    }

    /** A family of the list: drawn with {@code weight}, then one of its variants uniformly. */
    record Family(String name, int weight, List<Variant> variants) {
    }

    static final List<String> INJECTIONS = List.of(
            "' OR '1'='1", "1; DROP TABLE resources; --", "\" OR \"\"=\"", "1' UNION SELECT key_hash FROM api_keys--",
            "'); DELETE FROM users; --", "%' AND 1=1 AND '%'='", "$1", "?", "\\x27", "admin'--",
            "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg/onload=alert(1)>",
            "javascript:alert(1)", "{{7*7}}", "${7*7}", "#{7*7}", "<!--#exec cmd=\"ls\"-->", "../../etc/passwd",
            "${jndi:ldap://127.0.0.1/a}", "\u202Eevil", "\uFEFFbom", "null", "true", "[]", "{}", "'", "\"", "\\");

    /** Direction and invisible formatting marks: text that displays differently from what it stores. */
    static final List<String> BIDI_MARKS = List.of("\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066",
            "\u2067", "\u2068", "\u2069", "\u200E", "\u200F", "\u061C", "\u200B", "\u200C", "\u200D", "\u2060",
            "\uFEFF", "\u2028", "\u2029", "\u00AD");

    /** Valid but unusual text: noncharacters, astral code points, combining marks, a Hangul filler. */
    static final List<String> ODD_TEXT = List.of("\uFFFE", "\uFFFF", "\uFDD0", "\uD83D\uDE00", "\uDBFF\uDFFF",
            "\uD800\uDC00", "e\u0301\u0301\u0301\u0301", "\u3164", "\uFF21\uFF24",
            "\u0130", "\u00DF", "\uFB03", "Z\u0351\u0352\u0353\u0354\u0355\u0356", "\u1F71", "\u212A");

    private static final String RESOURCES = "/api/v1/resources";
    private static final List<String> WRITE_METHODS = List.of("POST", "PUT", "PATCH");
    private static final List<String> WRITE_TARGETS = List.of(RESOURCES, RESOURCES + "/1", RESOURCES + "/2",
            RESOURCES + "/999999999");
    private static final List<String> FIELDS = List.of("name", "type", "description");
    private static final ObjectMapper JSON = new ObjectMapper();

    // Open defects met by some variants, each left out of the default run until it is fixed.
    private static final String CHUNK_SIZE_CLOSES_SILENTLY = "found by this fuzzer: a chunked body whose chunk-size"
            + " line cannot be parsed (not hex, negative, overflowing, empty, or over 4 KiB with its extension) makes"
            + " the HTTP server (gateway, balancer and api-service alike) close the connection without any response";
    private static final String H2C_UPGRADE_LINGERS = "found by this fuzzer: `Upgrade: h2c` on a request with a body"
            + " is answered 400 but the connection stays open in spite of `Connection: close`, until the client gives up"
            + " (30 s per input here): it does not fail the assertions, it only holds a server connection";

    private final String key;
    private final List<Family> families;
    private final int totalWeight;

    /**
     * @param key a valid key with read and write scope, so that many requests get past authentication
     * @param includeKnownDefects whether variants that meet an open defect are generated
     * @param familyFilter which families to generate (by name)
     */
    MalformedRequests(String key, boolean includeKnownDefects, Predicate<String> familyFilter) {
        this.key = key;
        List<Family> chosen = new ArrayList<>();
        for (Family family : allFamilies()) {
            List<Variant> variants = family.variants().stream()
                    .filter(v -> includeKnownDefects || v.knownDefect() == null).toList();
            if (!variants.isEmpty() && familyFilter.test(family.name())) {
                chosen.add(new Family(family.name(), family.weight(), variants));
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("no family of malformed requests matches the filter");
        }
        this.families = List.copyOf(chosen);
        this.totalWeight = chosen.stream().mapToInt(Family::weight).sum();
    }

    /** Every family and variant, known defects included (to list them). */
    static List<Family> catalogue() {
        return new MalformedRequests("sk_test_catalogue", true, name -> true).families;
    }

    Attack generate(Gen gen) {
        int roll = gen.uniform(0, totalWeight - 1);
        for (Family family : families) {
            roll -= family.weight();
            if (roll < 0) {
                Variant variant = gen.pick(family.variants());
                return variant.make().apply(gen).labelled(family.name() + " / " + variant.name());
            }
        }
        throw new IllegalStateException("weights do not add up");
    }

    private List<Family> allFamilies() {
        return List.of(
                new Family("broken JSON", 12, brokenJson()),
                new Family("wrong types", 10, wrongTypes()),
                new Family("huge or deep JSON", 3, hugeOrDeepJson()),
                new Family("invalid UTF-8", 8, invalidUtf8()),
                new Family("oversized headers", 3, oversizedHeaders()),
                new Family("odd method", 8, oddMethods()),
                new Family("path", 10, paths()),
                new Family("injection", 10, injections()),
                new Family("bad credentials", 10, badCredentials()),
                new Family("bogus forwarding header", 6, bogusForwardedFor()),
                new Family("forged identity headers", 8, forgedIdentity()),
                new Family("JSON string content", 10, jsonStringContent()),
                new Family("deep nesting", 4, deepNesting()),
                new Family("out-of-range numbers", 6, outOfRangeNumbers()),
                new Family("duplicate keys", 5, duplicateKeys()),
                new Family("odd content type or charset", 6, oddContentTypes()),
                new Family("query-parameter abuse", 8, queryAbuse()),
                new Family("header abuse", 8, headerAbuse()));
    }

    private static Variant variant(String name, Function<Gen, Attack> make) {
        return new Variant(name, make, null);
    }

    /** A variant that meets an open defect: generated only when known defects are included. */
    private static Variant knownDefect(String name, String defect, Function<Gen, Attack> make) {
        return new Variant(name, make, defect);
    }

    // ---- helpers

    private Request write(String method, String target, byte[] body, String contentType) {
        return Request.of(method, target, body, "X-API-Key", key, "Content-Type", contentType);
    }

    private Attack writeJson(Gen g, String body) {
        return Attack.of(write(g.pick(WRITE_METHODS), g.pick(WRITE_TARGETS), utf8(body), "application/json"));
    }

    /** A create/update body whose {@code field} holds {@code valueJson} (raw JSON) and whose other fields are valid. */
    private static String bodyWith(String field, String valueJson) {
        return "{\"name\":" + (field.equals("name") ? valueJson : "\"ok\"")
                + ",\"type\":" + (field.equals("type") ? valueJson : "\"doc\"")
                + (field.equals("name") || field.equals("type") ? "" : ",\"" + field + "\":" + valueJson) + "}";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** JSON string literal with the escapes JSON requires (control characters, quote, backslash), the rest raw. */
    private static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON string literal with every character outside printable ASCII written as a {@code \\uXXXX} escape. */
    private static String escapedAll(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.append('"').toString();
    }

    private static String encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    /** {@code body} in chunked transfer coding, {@code size} bytes a chunk, ended by the last chunk and {@code trailer}. */
    private static byte[] chunked(byte[] body, int size, String trailer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < body.length; at += size) {
            int n = Math.min(size, body.length - at);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("0\r\n" + trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ---- families kept from the first fuzzer

    private List<Variant> brokenJson() {
        List<String> nearJson = List.of("{", "}", "{\"name\":", "{\"name\":\"x\"", "{\"name\":\"x\",}", "{'name':'x'}",
                "{\"name\":\"x\" \"type\":\"doc\"}", "{\"name\":\"x\",\"type\":\"doc\"}}", "[", "nul",
                "{\"name\":\"\\u00\"}", "{\"name\":\"\\ud800\",\"type\":\"doc\"}", "{\"name\":NaN}",
                "{\"name\":\"a\u0000b\",\"type\":\"doc\"}",
                "{\"name\":\"ok\",\"type\":\"doc\",\"description\":\"nul\u0000byte\"}",
                "{\"name\":\"x\",\"type\":\"doc\"}garbage", "\uFEFF{\"name\":\"x\",\"type\":\"doc\"}", "");
        List<String> contentTypes = List.of("application/json", "application/merge-patch+json", "text/plain",
                "application/xml", "application/json; charset=utf-16", "multipart/form-data",
                "application/x-www-form-urlencoded");
        Function<Function<Gen, String>, Function<Gen, Attack>> sent = text -> g -> Attack.of(write(g.pick(WRITE_METHODS),
                g.pick(WRITE_TARGETS), utf8(text.apply(g)), g.pick(contentTypes)));
        return List.of(
                variant("any text", sent.apply(g -> g.anyText(0, 200))),
                variant("almost JSON", sent.apply(g -> g.pick(nearJson))),
                variant("JSON alphabet soup", sent.apply(g -> g.from("{}[]\":,0123456789abcnrtu\\ ", 0, 80))));
    }

    private List<Variant> wrongTypes() {
        List<String> values = List.of("1", "-1", "1e400", "123456789012345678901234567890", "true", "null", "[]",
                "[\"a\"]", "{}", "{\"$ne\":null}", "\"\"", "\" \"", "\"" + "x".repeat(5000) + "\"", "0.5", "\"-1\"",
                "\"UPPER\"", "\"a/b\"");
        List<String> fields = List.of("name", "type", "description", "version", "id", "ownerId");
        return List.of(variant("field of another type", g -> {
            String body = bodyWith(g.pick(fields), g.pick(values));
            return writeJson(g, body.substring(0, body.length() - 1) + ",\"description\":" + g.pick(values) + "}");
        }));
    }

    private List<Variant> hugeOrDeepJson() {
        Function<Function<Gen, byte[]>, Function<Gen, Attack>> sent = body -> g -> Attack.of(write(g.pick(WRITE_METHODS),
                g.pick(WRITE_TARGETS), body.apply(g), "application/json"));
        return List.of(
                variant("deep arrays", sent.apply(g -> {
                    int depth = g.between(500, 200_000);
                    return utf8("{\"name\":\"deep\",\"type\":\"doc\",\"description\":" + "[".repeat(depth)
                            + "]".repeat(depth) + "}");
                })),
                variant("deep objects", sent.apply(g -> {
                    int depth = g.between(500, 100_000);
                    return utf8("{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
                })),
                variant("over 1 MiB", sent.apply(g -> utf8("{\"name\":\"huge\",\"type\":\"doc\",\"description\":\""
                        + "x".repeat(g.between(1_048_000, 1_300_000)) + "\"}"))),
                variant("many keys", sent.apply(g -> {
                    int n = g.between(1_000, 40_000);
                    StringBuilder json = new StringBuilder("{\"name\":\"wide\",\"type\":\"doc\"");
                    for (int i = 0; i < n; i++) {
                        json.append(",\"k").append(i).append("\":").append(i);
                    }
                    return utf8(json.append('}').toString());
                })),
                variant("long number", sent.apply(g -> utf8("{\"name\":\"n\",\"type\":\"doc\",\"version\":"
                        + "9".repeat(g.between(1_000, 500_000)) + "}"))));
    }

    private static final List<byte[]> INVALID_UTF8 = List.of(new byte[] {(byte) 0xC0, (byte) 0xAF},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xFF},
            new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80,
                (byte) 0x80}, new byte[] {(byte) 0x80});

    private List<Variant> invalidUtf8() {
        return List.of(
                variant("in the body", g -> {
                    byte[] body = concat(utf8("{\"name\":\""), g.pick(INVALID_UTF8), g.bytes(1, 64),
                            utf8("\",\"type\":\"doc\"}"));
                    return Attack.of(write(g.pick(WRITE_METHODS), g.pick(WRITE_TARGETS), body, "application/json"));
                }),
                variant("in the path", g -> Attack.of(new Request(g.pick("GET", "DELETE", "POST"),
                        concat(utf8(RESOURCES + "/"), g.pick(INVALID_UTF8)),
                        List.of(Map.entry("X-API-Key", utf8(key))), null))),
                variant("in the query", g -> Attack.of(new Request("GET",
                        concat(utf8(RESOURCES + "?type="), g.pick(INVALID_UTF8)), List.of(), null))),
                variant("in a header", g -> Attack.of(Request.of("GET", RESOURCES + "/1", null).with(
                        g.pick("X-API-Key", "X-Request-ID", "If-Match", "If-None-Match", "Authorization",
                                "X-Forwarded-For", "traceparent", "Accept"),
                        concat(utf8("sk_test_"), g.pick(INVALID_UTF8))))),
                variant("invalid percent-encoding", g -> {
                    String seq = g.pick("%C0%AF", "%ED%A0%80", "%FF", "%E2%82", "%", "%G1", "%%", "%u0041");
                    return Attack.of(Request.of("GET", RESOURCES + "/" + seq + "?type=" + seq, null));
                }));
    }

    private List<Variant> oversizedHeaders() {
        return List.of(
                variant("one huge header", g -> Attack.of(Request.of("GET", RESOURCES + "/1", null, "X-Padding",
                        "a".repeat(g.between(17_000, 64_000))))),
                variant("many headers", g -> {
                    Request request = Request.of("GET", RESOURCES + "/1", null);
                    int count = g.between(200, 2_000);
                    for (int i = 0; i < count; i++) {
                        request = request.with("X-H" + i, utf8("v".repeat(16)));
                    }
                    return Attack.of(request);
                }),
                variant("oversized API key", g -> Attack.of(Request.of("GET", RESOURCES + "/1", null, "X-API-Key",
                        "sk_test_" + "A".repeat(g.between(161, 20_000))))));
    }

    private List<Variant> oddMethods() {
        List<String> methods = List.of("TRACE", "OPTIONS", "HEAD", "PROPFIND", "MKCOL", "COPY", "MOVE", "LOCK", "PURGE",
                "get", "Post", "DEBUG", "TRACK", "SEARCH", "QUERY", "LINK", "BREW", "X");
        List<String> targets = List.of(RESOURCES, RESOURCES + "/1", "/api/v1/status", "/api/version",
                "/api/v1/nothing", "/", "/q/health");
        return List.of(variant("known or invented method", g -> {
            String method = g.bool() ? g.pick(methods) : g.inRanges(1, 20, 'A', 'Z');
            String target = g.pick(targets);
            return Attack.of(g.bool() ? Request.of(method, target, null, "X-API-Key", key)
                    : Request.of(method, target, null));
        }));
    }

    private List<Variant> paths() {
        List<String> paths = List.of("/api/v1/resources/../../../etc/passwd", "/api/v1/../../q/metrics",
                "/api/v1/resources/..%2f..%2f..%2fetc%2fpasswd", "/api/v1/resources/%2e%2e/%2e%2e/etc/passwd",
                "/api/v1/resources%2f1", "/api/v1/resources/1%2f..%2f2", "/api%2fv1%2fresources",
                "/api/v1/resources/%252e%252e%252f", "/api/v1/resources/1%00", "/api/v1/resources/%00",
                "/api/v1/resources/1;jsessionid=x", "/api/v1/resources//1", "/api//v1///resources",
                "/api/v1/resources/./1", "/api/v1/resources/1/", "/api/v1/resources/-1", "/api/v1/resources/0",
                "/api/v1/resources/99999999999999999999", "/api/v1/resources/1.5", "/api/v1/resources/0x10",
                "/api/v1/resources/%20", "/api/v1/resources/1?page=-1", "/api/v1/resources?limit=0",
                "/api/v1/resources?limit=100000", "/api/v1/resources?page=abc", "/api/v1/resources?sort=password",
                "/api/v1/resources?sort=-", "/api/v1/resources?sort=,,,", "/api/v1/admin/../resources",
                "/api/v1/internal/cache/clear", "/api/v1/internal/circuit-breakers", "/api/v2/resources", "/api/",
                "/api", "/%2e%2e/%2e%2e/etc/passwd", "/q/../api/v1/resources", "/api/v1/resources/\\..\\..\\windows",
                "/api/v1/resources/~root", "*", "http://evil.example/api/v1/resources",
                "/api/v1/resources?" + "a=1&".repeat(2_000));
        Function<Function<Gen, String>, Function<Gen, Attack>> sent = path -> g -> {
            String method = g.pick("GET", "DELETE", "PUT");
            return Attack.of(Request.of(method, path.apply(g), method.equals("PUT") ? utf8("{}") : null,
                    "Content-Type", "application/json"));
        };
        return List.of(
                variant("traversal, encoding and odd targets", sent.apply(g -> g.pick(paths))),
                variant("long path", sent.apply(g -> RESOURCES + "/" + "1".repeat(g.between(2_000, 9_000)))));
    }

    private List<Variant> injections() {
        return List.of(
                variant("in the URL", g -> {
                    String injection = encoded(g.pick(INJECTIONS));
                    String param = g.pick("type", "sort", "owner", "page", "limit", "id");
                    String target = param.equals("id") ? RESOURCES + "/" + injection
                            : RESOURCES + "?" + param + "=" + injection;
                    return Attack.of(Request.of("GET", target, null, "X-API-Key", key));
                }),
                variant("in the body", g -> {
                    Map<String, String> body = new TreeMap<>(Map.of("name", "n", "type", "doc"));
                    body.put(g.pick(FIELDS), g.pick(INJECTIONS));
                    try {
                        return Attack.of(write("POST", RESOURCES, JSON.writeValueAsBytes(body), "application/json"));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }),
                variant("in headers", g -> {
                    String injection = g.pick(INJECTIONS);
                    return Attack.of(Request.of("GET", RESOURCES + "/1", null, "If-None-Match", injection,
                            "X-Request-ID", injection, "If-Match", injection));
                }));
    }

    private List<Variant> badCredentials() {
        List<String> fixed = List.of("", " ", "sk_", "sk_test_", "sk_TEST_" + "a".repeat(40), "null", "undefined",
                "sk_test_" + "a".repeat(31), "' OR 1=1--");
        List<String> headers = List.of("X-API-Key", "Authorization:Bearer", "Authorization:Basic",
                "Authorization:Token", "Authorization:", "Authorization:Bearer Bearer");
        return List.of(variant("invalid key or token", g -> {
            String credential = switch (g.uniform(0, 3)) {
                case 0 -> g.inRanges(0, 200, '!', '~');
                case 1 -> "sk_test_" + g.alphanumeric(40);
                case 2 -> "sk_live_" + g.alphanumeric(40);
                default -> g.pick(fixed);
            };
            String header = g.pick(headers);
            String method = g.pick("GET", "POST", "DELETE");
            String name = header.contains(":") ? "Authorization" : header;
            String value = header.contains(":") ? (header.substring(header.indexOf(':') + 1) + " " + credential).trim()
                    : credential;
            Request request = Request.of(method, method.equals("GET") ? RESOURCES + "/1" : RESOURCES,
                    method.equals("POST") ? utf8("{\"name\":\"x\",\"type\":\"doc\"}") : null,
                    name, value, "Content-Type", "application/json");
            // No valid key anywhere: a read may pass anonymously or be refused, a write must be refused with 401.
            return method.equals("GET") ? Attack.of(request) : Attack.expecting(401, request);
        }));
    }

    private List<Variant> bogusForwardedFor() {
        List<String> fixed = List.of("999.999.999.999", "::::", "1.2.3.4, , ,", "unknown", "127.0.0.1, 10.0.0.1, evil",
                "[::1]:80", "1.2.3.4:99999", "-", ",", "0.0.0.0", "255.255.255.255", "::ffff:127.0.0.1",
                "1.2.3.4, ".repeat(1_000));
        return List.of(variant("bogus value", g -> Attack.of(Request.of("GET", RESOURCES + "/1", null,
                g.pick("X-Forwarded-For", "Forwarded", "X-Real-IP", "X-Forwarded-Proto", "X-Forwarded-Host"),
                g.bool() ? g.inRanges(0, 300, ' ', '~') : g.pick(fixed)))));
    }

    private List<Variant> forgedIdentity() {
        List<String> fixed = List.of("1", "admin", "read,write", "enterprise", "t=1,v2=00",
                "t=9999999999,v2=" + "a".repeat(64));
        Function<Gen, String> value = g -> g.bool() ? g.inRanges(0, 80, ' ', '~') : g.pick(fixed);
        return List.of(variant("claimed without a key", g -> {
            String user = value.apply(g);
            String role = value.apply(g);
            String signature = value.apply(g);
            String method = g.pick("POST", "DELETE", "PUT");
            Request request = Request.of(method, method.equals("POST") ? RESOURCES : RESOURCES + "/1",
                    method.equals("DELETE") ? null : utf8("{\"name\":\"forged\",\"type\":\"doc\"}"),
                    "Content-Type", "application/json", "X-Identity-User-Id", user, "X-Identity-Role", role,
                    "X-Identity-Scopes", "read,write", "X-Identity-Tier", "enterprise", "X-Identity-Key-Id", user,
                    "X-Identity-Signature", signature);
            // Without a key the gateway must refuse every write, whatever identity the client claims.
            return Attack.expecting(401, request);
        }));
    }

    // ---- families added for issue 13

    private List<Variant> jsonStringContent() {
        Function<Function<Gen, String>, Function<Gen, Attack>> inField = literal -> g ->
                writeJson(g, bodyWith(g.pick(FIELDS), literal.apply(g)));
        return List.of(
                variant("control characters, escaped", inField.apply(g -> quoted("a" + g.inRanges(1, 40, '\u0001',
                        '\u001F', 'a', 'z')))),
                variant("control characters, raw", inField.apply(g -> "\"a" + g.inRanges(1, 40, '\u0001', '\u001F',
                        'a', 'z') + "\"")),
                variant("NUL, raw", inField.apply(g -> "\"a" + "\u0000".repeat(g.between(1, 3)) + "b\"")),
                variant("NUL, escaped", inField.apply(g -> g.pick(
                        "\"a\\u0000b\"", "\"\\u0000\"", "\"ok\\u0000\"", "\"" + "\\u0000".repeat(g.between(1, 50)) + "x\""))),
                variant("lone surrogates, escaped", inField.apply(g -> "\"a" + g.pick("\\ud800", "\\udbff", "\\udc00",
                        "\\udfff", "\\udc00\\ud800", "\\ud800\\ud800", "\\ud800x", "\\ud83d") + g.from("xyz", 0, 3) + "\"")),
                variant("bidi and invisible marks", inField.apply(g -> {
                    StringBuilder text = new StringBuilder("a");
                    int marks = g.between(1, 20);
                    for (int i = 0; i < marks; i++) {
                        text.append(g.pick(BIDI_MARKS)).append(g.from("abc", 0, 2));
                    }
                    return g.bool() ? quoted(text.toString()) : escapedAll(text.toString());
                })),
                variant("noncharacters, astral and combining text", inField.apply(g -> {
                    String text = "a" + g.pick(ODD_TEXT) + g.pick(ODD_TEXT);
                    return g.bool() ? quoted(text) : escapedAll(text);
                })),
                variant("70 KB string", g -> {
                    int length = g.between(69 * 1024, 71 * 1024);
                    String text = switch (g.uniform(0, 2)) {
                        case 0 -> quoted("x".repeat(length));
                        // no line terminators here (U+2028, U+2029): those are the known-defect variant below
                        case 1 -> quoted(g.inRanges(length, length, 'a', 'z', '\u00A0', '\u07FF', '\u0800', '\u2027',
                                '\u202A', '\uD7FF'));
                        default -> "\"" + "\\u0041".repeat(length) + "\"";
                    };
                    String field = g.pick("name", "type", "description", "extra");
                    String body = field.equals("extra") ? "{\"name\":\"ok\",\"type\":\"doc\",\"extra\":" + text + "}"
                            : bodyWith(field, text);
                    return writeJson(g, body);
                }),
                variant("70 KB name holding a line terminator, patched", g -> {
                    int half = g.between(30 * 1024, 36 * 1024);
                    String name = "x".repeat(half) + g.pick("\n", "\r", "\u0085", "\u2028", "\u2029") + "x".repeat(half);
                    return Attack.of(write("PATCH", RESOURCES + "/" + g.uniform(1, 2), utf8("{\"name\":" + quoted(name)
                            + "}"), g.pick("application/merge-patch+json", "application/json")));
                }),
                variant("invalid escapes", inField.apply(g -> "\"a" + g.pick("\\x41", "\\u12", "\\uZZZZ", "\\U0001F600",
                        "\\'", "\\", "\\a", "\\0", "\\u", "\\u00e", "\\\u00e9") + "\"")));
    }

    private List<Variant> deepNesting() {
        return List.of(
                variant("around the parser's depth limit", g -> {
                    int depth = g.pick(g.between(490, 510), g.between(990, 1010), g.between(1, 2_000));
                    String open = g.bool() ? "[" : "{\"a\":";
                    String close = open.equals("[") ? "]" : "}";
                    return writeJson(g, bodyWith(g.pick(FIELDS), open.repeat(depth) + "1" + close.repeat(depth)));
                }),
                variant("in a field the API does not know", g -> {
                    int depth = g.between(1, 5_000);
                    return writeJson(g, "{\"name\":\"ok\",\"type\":\"doc\",\"extra\":" + "{\"a\":".repeat(depth) + "[]"
                            + "}".repeat(depth) + "}");
                }),
                variant("mixed arrays and objects", g -> {
                    int depth = g.between(1, 3_000);
                    StringBuilder open = new StringBuilder();
                    StringBuilder close = new StringBuilder();
                    for (int i = 0; i < depth; i++) {
                        boolean array = g.bool();
                        open.append(array ? "[" : "{\"k\":");
                        close.insert(0, array ? "]" : "}");
                    }
                    return writeJson(g, open + "null" + close);
                }),
                variant("never closed", g -> writeJson(g, "{\"name\":\"ok\",\"type\":\"doc\",\"description\":"
                        + g.pick("[", "{\"a\":").repeat(g.between(1, 50_000)))));
    }

    private static final List<String> ODD_NUMBERS = List.of("2147483647", "2147483648", "-2147483648", "-2147483649",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
            "18446744073709551616", "1e308", "1.7976931348623157e308", "1e309", "-1e309", "4.9e-324", "1e-400",
            "1e999999999", "1E-999999999", "-0", "-0.0", "0e0", "0.0", "1.0", "1.5", "00", "007", "+1", ".5", "1.", "1e",
            "1e+", "0x1F", "Infinity", "-Infinity", "NaN", "1_000", "1,5", "- 1", "1 2");

    private List<Variant> outOfRangeNumbers() {
        Function<Gen, String> number = g -> switch (g.uniform(0, 4)) {
            case 0 -> Long.toString(g.nextLong());
            case 1 -> Double.toString(g.nextDouble() * Math.pow(10, g.uniform(-330, 330)));
            case 2 -> (g.bool() ? "-" : "") + g.from("0123456789", 15, 1_100);
            default -> g.pick(ODD_NUMBERS);
        };
        return List.of(
                variant("in a body field", g -> {
                    String field = g.pick("version", "version", "id", "ownerId", "name", "description", "type");
                    String body = bodyWith(field, number.apply(g));
                    return writeJson(g, body);
                }),
                variant("as the resource id", g -> {
                    String id = encoded(g.pick(ODD_NUMBERS.get(g.uniform(0, ODD_NUMBERS.size() - 1)),
                            Long.toString(g.nextLong()), "\uFF11", "\u0661", "1" + "0".repeat(g.between(19, 400))));
                    String method = g.pick("GET", "DELETE", "PUT", "PATCH");
                    return Attack.of(Request.of(method, RESOURCES + "/" + id,
                            method.startsWith("P") ? utf8("{\"name\":\"n\",\"type\":\"doc\"}") : null,
                            "X-API-Key", key, "Content-Type", "application/json"));
                }),
                variant("in a query parameter", g -> Attack.of(Request.of("GET", RESOURCES + "?"
                        + g.pick("page", "limit", "owner") + "=" + encoded(number.apply(g)), null, "X-API-Key", key))));
    }

    private List<Variant> duplicateKeys() {
        List<String> values = List.of("\"a\"", "\"b\"", "\"doc\"", "\"\"", "1", "null", "[]", "{}", "true", "\"x\"");
        return List.of(
                variant("same key twice", g -> {
                    String field = g.pick("name", "type", "description", "version", "id");
                    String body = "{\"" + field + "\":" + g.pick(values) + ",\"name\":\"n\",\"type\":\"doc\",\""
                            + field + "\":" + g.pick(values) + "}";
                    return writeJson(g, body);
                }),
                variant("one key many times", g -> {
                    String field = g.pick(FIELDS);
                    return writeJson(g, "{" + ("\"" + field + "\":\"v\",").repeat(g.between(2, 20_000))
                            + "\"name\":\"n\",\"type\":\"doc\"}");
                }),
                variant("same key after an escape or in another case", g -> writeJson(g, g.pick(
                        "{\"name\":\"a\",\"n\\u0061me\":\"b\",\"type\":\"doc\"}",
                        "{\"name\":\"a\",\"Name\":\"b\",\"NAME\":\"c\",\"type\":\"doc\"}",
                        "{\"name\":\"a\",\"name \":\"b\",\"type\":\"doc\"}",
                        "{\"name\":\"a\",\"type\":\"doc\",\"type\\u0000\":\"x\"}",
                        "{\"name\":\"a\",\"type\":\"doc\",\"extra\":{\"k\":1,\"k\":2}}"))),
                variant("merge patch setting and clearing a field", g -> Attack.of(write("PATCH",
                        RESOURCES + "/" + g.uniform(1, 3), utf8("{\"" + g.pick(FIELDS) + "\":null,\"" + g.pick(FIELDS)
                                + "\":\"v\",\"description\":null}"),
                        g.pick("application/merge-patch+json", "application/json")))));
    }

    private List<Variant> oddContentTypes() {
        String valid = "{\"name\":\"charset\",\"type\":\"doc\",\"description\":\"caf\u00e9 \u2603\"}";
        List<String> mediaTypes = List.of("", " ", "application/json;", "application/json;;;", "APPLICATION/JSON",
                "Application/Json", "application/json, text/plain", "application/*", "*/*", "text/json",
                "application/vnd.api+json", "application/json\t", "application/json; boundary=", "application",
                "/json", "json", "application/json; charset", "application/json; charset=", "application/json; =",
                "application/json; q=0", "application/x-json", "application/json-patch+json", "text/plain",
                "application/octet-stream", "multipart/form-data; boundary=x", "application/json (comment)",
                "application/json;" + "a=b;".repeat(300), "application/" + "j".repeat(3_000));
        List<String> charsets = List.of("utf-8", "UTF-8", "utf8", "\"utf-8\"", "utf-16", "utf-16le", "utf-16be",
                "utf-32", "iso-8859-1", "latin1", "us-ascii", "windows-1252", "ebcdic", "ibm037", "x-unknown", "utf-7",
                "../../etc/passwd", "*", "utf-8; charset=utf-16", "\u00e9", "x".repeat(300));
        return List.of(
                variant("odd media type", g -> {
                    String method = g.pick(WRITE_METHODS);
                    String target = g.pick(WRITE_TARGETS);
                    return Attack.of(g.oneIn(8) ? Request.of(method, target, utf8(valid), "X-API-Key", key)
                            : write(method, target, utf8(valid), g.pick(mediaTypes)));
                }),
                variant("charset parameter", g -> {
                    String charset = g.pick(charsets);
                    // the body in that charset where Java knows it (so a server honouring it reads it), else UTF-8
                    Charset encoding = StandardCharsets.UTF_8;
                    try {
                        if (g.bool()) {
                            encoding = Charset.forName(charset.replace("\"", ""));
                        }
                    } catch (RuntimeException unknownToJava) {
                        // stays UTF-8
                    }
                    return Attack.of(write(g.pick(WRITE_METHODS), g.pick(WRITE_TARGETS), valid.getBytes(encoding),
                            "application/json; charset=" + charset));
                }),
                variant("byte-order mark", g -> {
                    byte[] bom = g.pick(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, new byte[] {(byte) 0xFE,
                        (byte) 0xFF}, new byte[] {(byte) 0xFF, (byte) 0xFE});
                    Charset encoding = g.pick(StandardCharsets.UTF_8, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE);
                    return Attack.of(write(g.pick(WRITE_METHODS), g.pick(WRITE_TARGETS), concat(bom,
                            valid.getBytes(encoding)), "application/json"));
                }),
                variant("UTF-32 byte-order mark before another encoding", g -> {
                    byte[] bom = g.pick(new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF}, new byte[] {(byte) 0xFF, (byte) 0xFE,
                        0, 0}, new byte[] {0, 0, 0});
                    Charset encoding = g.pick(StandardCharsets.UTF_8, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE);
                    return Attack.of(write(g.pick(WRITE_METHODS), g.pick(WRITE_TARGETS), concat(bom,
                            valid.getBytes(encoding)), "application/json"));
                }),
                variant("odd Accept", g -> {
                    String accept = g.pick("text/html", "application/xml", "*/*;q=0", "application/json;q=0",
                            "application/json;q=2", "application/json;q=abc", "image/png", "", ",,,", "*/*; charset=utf-7",
                            "application/json, */*;q=0.1, " + "text/x-" + "a".repeat(2_000), "text/event-stream");
                    return Attack.of(g.bool() ? Request.of("GET", g.pick(RESOURCES, RESOURCES + "/1", "/api/v1/nothing"),
                            null, "Accept", accept) : Request.of("POST", RESOURCES, utf8(valid), "X-API-Key", key,
                            "Content-Type", "application/json", "Accept", accept));
                }),
                variant("Content-Encoding", g -> {
                    String encoding = g.pick("gzip", "deflate", "br", "identity", "compress", "x-unknown",
                            "gzip, gzip", "");
                    byte[] body = encoding.equals("gzip") && g.bool() ? gzip(utf8(valid)) : utf8(valid);
                    return Attack.of(write(g.pick(WRITE_METHODS), g.pick(WRITE_TARGETS), body, "application/json")
                            .with("Content-Encoding", utf8(encoding)));
                }),
                variant("Accept-Encoding", g -> Attack.of(Request.of("GET", g.pick(RESOURCES, RESOURCES + "/1",
                        RESOURCES + "/999999999", "/api/v1/nothing"), null, "Accept-Encoding",
                        g.pick("gzip", "deflate", "br", "gzip;q=2", "*", "identity;q=0", "gzip, deflate, br, zstd",
                                "x-unknown", ",", "gzip;q=abc")))));
    }

    private List<Variant> queryAbuse() {
        List<String> names = List.of("page", "limit", "type", "owner", "sort");
        List<String> fixed = List.of("?", "?=", "?=1", "?limit", "?limit=", "?&&&", "?&limit=5&", "??limit=5",
                "?limit==5", "?limit=1&limit=1000", "?page=1&page=abc", "?sort=id&sort=password", "?type=a&type=b",
                "?limit[]=1", "?limit[$gt]=0", "?owner[$ne]=1", "?sort[0]=id", "?__proto__[admin]=1",
                "?constructor[prototype][admin]=1", "?type.__proto__=x", "?type=doc%26limit%3D1000",
                "?sort=id%2C-name", "?sort=%2Did", "?limit=%31%30", "?type=doc%00", "?type=%0d%0aSet-Cookie:%20x=1",
                "?type=%E2%80%AE", "?limit=+5", "?limit=5+", "?limit=%205", "?limit=1%2e5", "?limit=%2B5",
                "?debug=true", "?admin=1", "?fields=password", "?include=key_hash", "?callback=alert", "?format=xml",
                "?_method=DELETE", "?api_key=sk_test_" + "a".repeat(40), "?;limit=5", "?limit=5;page=2",
                "?limit=5#fragment", "#?limit=5", "?%", "?a=%", "?%=%", "?type=%ZZ");
        return List.of(
                variant("repeated, empty and bracketed parameters", g -> Attack.of(Request.of("GET",
                        RESOURCES + g.pick(fixed), null, "X-API-Key", key))),
                variant("many parameters", g -> {
                    StringBuilder query = new StringBuilder("?");
                    int count = g.between(1, 400);
                    for (int i = 0; i < count; i++) {
                        query.append(g.bool() ? g.pick(names) : g.from("abcxyz_[]$.", 1, 8)).append('=')
                                .append(g.from("0123456789abc-,", 0, 6)).append('&');
                    }
                    return Attack.of(Request.of("GET", RESOURCES + query, null, g.bool() ? "X-API-Key" : "X-Other", key));
                }),
                variant("long values", g -> {
                    String name = g.pick(names);
                    int length = g.between(1, 3_900);
                    String value = name.equals("sort") ? "id,".repeat(length / 3 + 1) : g.from("a1-", length, length);
                    return Attack.of(Request.of("GET", RESOURCES + "?" + name + "=" + value, null));
                }),
                variant("random printable query", g -> Attack.of(Request.of("GET", RESOURCES + "?"
                        + g.inRanges(0, 200, '!', '~'), null, "X-API-Key", key))),
                variant("query on item and write routes", g -> {
                    String method = g.pick("GET", "PUT", "PATCH", "DELETE", "POST");
                    String target = (method.equals("POST") ? RESOURCES : RESOURCES + "/1") + g.pick(fixed);
                    return Attack.of(Request.of(method, target, method.startsWith("P") ? utf8("{\"name\":\"q\",\"type\":\"doc\"}")
                            : null, "X-API-Key", key, "Content-Type", "application/json"));
                }));
    }

    private List<Variant> headerAbuse() {
        byte[] valid = utf8("{\"name\":\"headers\",\"type\":\"doc\"}");
        return List.of(
                variant("duplicate credentials", g -> {
                    String garbage = g.pick("sk_test_" + g.alphanumeric(40), "", "Bearer x", g.inRanges(1, 60, '!', '~'));
                    boolean validFirst = g.bool();
                    String header = g.pick("X-API-Key", "x-api-key", "X-API-KEY");
                    Request request = Request.of(g.pick("GET", "POST"), RESOURCES, valid, "Content-Type",
                            "application/json", header, validFirst ? key : garbage, header, validFirst ? garbage : key);
                    return Attack.of(g.bool() ? request : request.with("Authorization", utf8("Bearer " + garbage)));
                }),
                variant("duplicate Content-Type", g -> Attack.of(write(g.pick(WRITE_METHODS), g.pick(WRITE_TARGETS), valid,
                        "application/json").with("Content-Type", utf8(g.pick("text/plain", "application/json",
                                "application/xml", ""))))),
                variant("Content-Length that cannot be used", g -> {
                    // never one larger than the body sent: the server would wait for bytes that do not come
                    Request request = Request.of(g.pick("POST", "PUT"), g.pick(RESOURCES, RESOURCES + "/1"), valid,
                            "X-API-Key", key, "Content-Type", "application/json");
                    String length = Integer.toString(valid.length);
                    return Attack.of(switch (g.uniform(0, 2)) {
                        case 0 -> request.with("Content-Length", utf8(length)).with("Content-Length", utf8(length));
                        case 1 -> request.with("Content-Length", utf8(length)).with("Content-Length",
                                utf8(Integer.toString(g.uniform(0, valid.length - 1))));
                        default -> request.with("Content-Length", utf8(g.pick("-1", "abc", "1e3", " ",
                                "99999999999999999999999", "0x20", length + ", " + length, "-0")));
                    });
                }),
                variant("Transfer-Encoding", g -> {
                    byte[] body = g.oneIn(8) ? utf8("0\r\n\r\n") : chunked(valid, g.uniform(1, valid.length + 1), "");
                    String coding = g.pick("chunked", "Chunked", "chunked, chunked", "gzip, chunked", "identity, chunked",
                            " chunked", "chunked ", "\tchunked");
                    Request request = Request.of(g.pick("POST", "PUT"), g.pick(RESOURCES, RESOURCES + "/1"), body,
                            "X-API-Key", key, "Content-Type", "application/json", "Transfer-Encoding", coding);
                    return Attack.of(g.bool() ? request : request.with("Content-Length", utf8(Integer.toString(body.length))));
                }),
                knownDefect("unparseable chunk size", CHUNK_SIZE_CLOSES_SILENTLY, g -> {
                    byte[] body = utf8(g.pick("zz\r\n{}\r\n0\r\n\r\n", "-1\r\n{}\r\n0\r\n\r\n", "\r\n\r\n",
                            "2;" + "e".repeat(g.between(4_200, 9_000)) + "\r\n{}\r\n0\r\n\r\n",
                            "ffffffffffffffffff\r\n{}\r\n0\r\n\r\n"));
                    return Attack.of(Request.of("POST", RESOURCES, body, "X-API-Key", key, "Content-Type",
                            "application/json", "Transfer-Encoding", "chunked"));
                }),
                variant("credentials in a chunked trailer", g -> {
                    // a key that arrives after the body must not authenticate the request it ends
                    byte[] body = chunked(valid, 8, "X-API-Key: " + key + "\r\nAuthorization: Bearer " + key + "\r\n");
                    return Attack.expecting(401, Request.of("POST", RESOURCES, body, "Content-Type", "application/json",
                            "Transfer-Encoding", "chunked", "Trailer", "X-API-Key"));
                }),
                variant("header-name syntax", g -> {
                    String name = g.pick("X-API-Key ", "X API Key", "X-API-Key\t", "", "X-{bad}", "X-\u00e9",
                            "X-API-Key:", "(X)", "X-" + "N".repeat(g.between(1, 9_000)), "X-Api_Key", ":authority");
                    return Attack.of(Request.of("GET", RESOURCES + "/1", null, name, g.bool() ? key : "v"));
                }),
                variant("line folding and header-less lines", g -> Attack.of(Request.of("GET", RESOURCES + "/1", null)
                        .with(g.pick("X-API-Key", "Accept", "X-Request-ID"), utf8(g.pick("sk_test_\r\n abc",
                                "x\r\n\tfolded", "x\r\nJustAName", "x\r\n : y", "x\r\n\r\n"))))),
                variant("control characters in values", g -> {
                    String value = "v" + g.inRanges(1, 10, '\u0000', '\u0008', '\u000B', '\u000C', '\u000E', '\u001F',
                            '\u007F', '\u007F') + "v";
                    return Attack.of(Request.of(g.pick("GET", "POST"), RESOURCES, valid, "Content-Type",
                            "application/json").with(g.pick("X-API-Key", "X-Request-ID", "Accept", "If-None-Match",
                                    "traceparent", "User-Agent", "Content-Type"), value.getBytes(StandardCharsets.ISO_8859_1)));
                }),
                variant("conditional and range headers", g -> {
                    String header = g.pick("If-None-Match", "If-Match", "If-Modified-Since", "If-Unmodified-Since",
                            "If-Range", "Range");
                    String value = g.pick("*", "W/\"1\"", "\"1\", \"2\", W/\"3\"", "\"" + "9".repeat(40) + "\"",
                            "\"-1\"", "\"abc\"", "\"", "\"1\"".repeat(500), "Thu, 01 Jan 1970 00:00:00 GMT", "yesterday",
                            "bytes=0-1", "bytes=-1", "bytes=5-1,0-0", "bytes=0-" + "9".repeat(30), "");
                    String method = g.pick("GET", "GET", "PUT", "PATCH", "DELETE");
                    return Attack.of(Request.of(method, RESOURCES + "/" + g.uniform(1, 3),
                            method.startsWith("P") ? valid : null, "X-API-Key", key, "Content-Type", "application/json",
                            header, value));
                }),
                variant("method override and rewrite headers", g -> {
                    // without a key a write stays refused, whatever method or path the headers claim instead
                    String header = g.pick("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override",
                            "X-Original-URL", "X-Rewrite-URL", "X-Forwarded-Prefix", "X-Original-Method");
                    String value = header.endsWith("URL") || header.endsWith("Prefix")
                            ? g.pick("/api/v1/status", "/q/health", "/api/v1/resources/1", "/")
                            : g.pick("GET", "HEAD", "OPTIONS", "DELETE");
                    return Attack.expecting(401, Request.of("POST", RESOURCES, valid, "Content-Type",
                            "application/json", header, value));
                }),
                variant("connection, upgrade and expectation", g -> {
                    String[] pair = g.pick(new String[] {"Upgrade", "websocket"}, new String[] {"Connection", "Upgrade"},
                            new String[] {"Connection", "keep-alive, X-API-Key"}, new String[] {"Connection", "X-Request-ID"},
                            new String[] {"Connection", "Content-Type"}, new String[] {"TE", "trailers"},
                            new String[] {"Keep-Alive", "timeout=999999"}, new String[] {"Proxy-Connection", "keep-alive"},
                            new String[] {"Expect", "100-continue"}, new String[] {"Max-Forwards", "0"},
                            new String[] {"Via", "1.1 gateway, 1.1 gateway"});
                    return Attack.of(write(g.pick("POST", "PUT"), g.pick(RESOURCES, RESOURCES + "/1"), valid,
                            "application/json").with(pair[0], utf8(pair[1])));
                }),
                knownDefect("h2c upgrade on a request with a body", H2C_UPGRADE_LINGERS, g -> Attack.of(write(
                        g.pick("POST", "PUT"), g.pick(RESOURCES, RESOURCES + "/1"), valid, "application/json")
                        .with("Upgrade", utf8("h2c")))),
                variant("request id and trace context", g -> {
                    String value = g.pick("x".repeat(g.between(1, 12_000)), g.inRanges(1, 200, ' ', '~'),
                            "00-" + "0".repeat(32) + "-" + "0".repeat(16) + "-01", "ff-" + "f".repeat(32) + "-"
                                    + "f".repeat(16) + "-ff", "00-abc", "", "../../x", "${jndi:ldap://127.0.0.1/a}");
                    String header = g.pick("X-Request-ID", "traceparent", "tracestate", "baggage", "X-Correlation-ID");
                    return Attack.of(Request.of("GET", g.pick(RESOURCES + "/1", RESOURCES, "/api/v1/nothing"), null,
                            header, value));
                }),
                variant("Host header", g -> Attack.of(Request.of("GET", g.pick(RESOURCES + "/1",
                        "http://evil.example" + RESOURCES + "/1", "//evil.example" + RESOURCES), null, "Host",
                        g.pick("evil.example", "", "127.0.0.1:99999", "a b", "x".repeat(300), "[::1", "\u00e9.example")))),
                variant("cookies and user agent", g -> Attack.of(Request.of("GET", RESOURCES + "/1", null,
                        g.pick("Cookie", "User-Agent", "Referer", "Origin"), g.pick("a=b; ".repeat(g.between(1, 2_000)),
                                "x".repeat(g.between(1, 15_000)), "null", "session=../../x", "=;=;=;")))));
    }
}
