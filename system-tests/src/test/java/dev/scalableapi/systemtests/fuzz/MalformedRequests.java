package dev.scalableapi.systemtests.fuzz;

import dev.scalableapi.systemtests.support.RawHttp.Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators of bad requests, one per family the issue names, mixed by weight. */
final class MalformedRequests {

    static final List<String> INJECTIONS = List.of(
            "' OR '1'='1", "1; DROP TABLE resources; --", "\" OR \"\"=\"", "1' UNION SELECT key_hash FROM api_keys--",
            "'); DELETE FROM users; --", "%' AND 1=1 AND '%'='", "$1", "?", "\\x27", "admin'--",
            "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg/onload=alert(1)>",
            "javascript:alert(1)", "{{7*7}}", "${7*7}", "#{7*7}", "<!--#exec cmd=\"ls\"-->", "../../etc/passwd",
            "${jndi:ldap://127.0.0.1/a}", "\u202Eevil", "\uFEFFbom", "null", "true", "[]", "{}", "'", "\"", "\\");

    private static final String RESOURCES = "/api/v1/resources";
    private static final List<String> WRITE_METHODS = List.of("POST", "PUT", "PATCH");

    private MalformedRequests() {
    }

    static Arbitrary<Attack> all(String key) {
        return Arbitraries.frequencyOf(
                Tuple.of(12, brokenJson(key)),
                Tuple.of(10, wrongTypes(key)),
                Tuple.of(3, hugeOrDeepJson(key)),
                Tuple.of(8, invalidUtf8(key)),
                Tuple.of(3, oversizedHeaders()),
                Tuple.of(8, oddMethods(key)),
                Tuple.of(10, paths()),
                Tuple.of(10, injections(key)),
                Tuple.of(10, badCredentials()),
                Tuple.of(6, bogusForwardedFor()),
                Tuple.of(8, forgedIdentity()));
    }

    private static Request write(String method, String target, byte[] body, String key, String contentType) {
        return Request.of(method, target, body, "X-API-Key", key, "Content-Type", contentType);
    }

    private static Arbitrary<String> writeTarget() {
        return Arbitraries.of(RESOURCES, RESOURCES + "/1", RESOURCES + "/2", RESOURCES + "/999999999");
    }

    private static Arbitrary<String> writeMethod() {
        return Arbitraries.of(WRITE_METHODS);
    }

    static Arbitrary<Attack> brokenJson(String key) {
        Arbitrary<String> broken = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.of("{", "}", "{\"name\":", "{\"name\":\"x\"", "{\"name\":\"x\",}", "{'name':'x'}",
                        "{\"name\":\"x\" \"type\":\"doc\"}", "{\"name\":\"x\",\"type\":\"doc\"}}", "[", "nul",
                        "{\"name\":\"\\u00\"}", "{\"name\":\"\\ud800\",\"type\":\"doc\"}", "{\"name\":NaN}",
                        "{\"name\":\"a\u0000b\",\"type\":\"doc\"}", "{\"name\":\"ok\",\"type\":\"doc\",\"description\":\"nul\u0000byte\"}",
                        "{\"name\":\"x\",\"type\":\"doc\"}garbage", "\uFEFF{\"name\":\"x\",\"type\":\"doc\"}", ""),
                Arbitraries.strings().withChars("{}[]\":,0123456789abcnrtu\\ ").ofMaxLength(80));
        return Combinators.combine(writeMethod(), writeTarget(), broken,
                Arbitraries.of("application/json", "application/merge-patch+json", "text/plain", "application/xml",
                        "application/json; charset=utf-16", "multipart/form-data", "application/x-www-form-urlencoded"))
                .as((m, t, b, ct) -> Attack.of("broken JSON", write(m, t, b.getBytes(StandardCharsets.UTF_8), key, ct)));
    }

    static Arbitrary<Attack> wrongTypes(String key) {
        Arbitrary<String> value = Arbitraries.of("1", "-1", "1e400", "123456789012345678901234567890", "true", "null",
                "[]", "[\"a\"]", "{}", "{\"$ne\":null}", "\"\"", "\" \"", "\"" + "x".repeat(5000) + "\"", "0.5",
                "\"-1\"", "\"UPPER\"", "\"a/b\"");
        Arbitrary<String> field = Arbitraries.of("name", "type", "description", "version", "id", "ownerId");
        return Combinators.combine(writeMethod(), writeTarget(), field, value, value).as((m, t, f, v, other) -> {
            String body = "{\"name\":" + (f.equals("name") ? v : "\"ok\"") + ",\"type\":"
                    + (f.equals("type") ? v : "\"doc\"") + (f.equals("name") || f.equals("type") ? "" : ",\"" + f + "\":" + v)
                    + ",\"description\":" + other + "}";
            return Attack.of("wrong types", write(m, t, body.getBytes(StandardCharsets.UTF_8), key, "application/json"));
        });
    }

    static Arbitrary<Attack> hugeOrDeepJson(String key) {
        Arbitrary<byte[]> deep = Arbitraries.integers().between(500, 200_000).map(depth -> {
            StringBuilder json = new StringBuilder("{\"name\":\"deep\",\"type\":\"doc\",\"description\":");
            json.append("[".repeat(depth)).append("]".repeat(depth)).append('}');
            return json.toString().getBytes(StandardCharsets.UTF_8);
        });
        Arbitrary<byte[]> deepObjects = Arbitraries.integers().between(500, 100_000)
                .map(depth -> ("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> huge = Arbitraries.integers().between(1_048_000, 1_300_000)
                .map(size -> ("{\"name\":\"huge\",\"type\":\"doc\",\"description\":\"" + "x".repeat(size) + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> manyKeys = Arbitraries.integers().between(1_000, 40_000).map(n -> {
            StringBuilder json = new StringBuilder("{\"name\":\"wide\",\"type\":\"doc\"");
            for (int i = 0; i < n; i++) {
                json.append(",\"k").append(i).append("\":").append(i);
            }
            return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
        });
        Arbitrary<byte[]> longNumber = Arbitraries.integers().between(1_000, 500_000)
                .map(n -> ("{\"name\":\"n\",\"type\":\"doc\",\"version\":" + "9".repeat(n) + "}").getBytes(StandardCharsets.UTF_8));
        return Combinators.combine(writeMethod(), writeTarget(), Arbitraries.oneOf(deep, deepObjects, huge, manyKeys, longNumber))
                .as((m, t, b) -> Attack.of("huge or deep JSON", write(m, t, b, key, "application/json")));
    }

    static Arbitrary<Attack> invalidUtf8(String key) {
        Arbitrary<byte[]> invalid = Arbitraries.of(new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xED,
                (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xE2, (byte) 0x82},
                new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0x80});
        Arbitrary<byte[]> randomBytes = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64);
        Arbitrary<Attack> inBody = Combinators.combine(writeMethod(), writeTarget(), invalid, randomBytes).as((m, t, bad, rnd) -> {
            byte[] body = concat("{\"name\":\"".getBytes(StandardCharsets.UTF_8), bad, rnd,
                    "\",\"type\":\"doc\"}".getBytes(StandardCharsets.UTF_8));
            return Attack.of("invalid UTF-8 body", write(m, t, body, key, "application/json"));
        });
        Arbitrary<Attack> inPath = Combinators.combine(invalid, Arbitraries.of("GET", "DELETE", "POST")).as((bad, m) ->
                Attack.of("invalid UTF-8 path", new Request(m, concat(RESOURCES.concat("/").getBytes(StandardCharsets.US_ASCII), bad),
                        List.of(Map.entry("X-API-Key", key.getBytes(StandardCharsets.US_ASCII))), null)));
        Arbitrary<Attack> inQuery = invalid.map(bad -> Attack.of("invalid UTF-8 query", new Request("GET",
                concat((RESOURCES + "?type=").getBytes(StandardCharsets.US_ASCII), bad), List.of(), null)));
        Arbitrary<Attack> inHeader = Combinators.combine(invalid, Arbitraries.of("X-API-Key", "X-Request-ID", "If-Match",
                "If-None-Match", "Authorization", "X-Forwarded-For", "traceparent", "Accept")).as((bad, header) ->
                Attack.of("invalid UTF-8 header", Request.of("GET", RESOURCES + "/1", null).with(header,
                        concat("sk_test_".getBytes(StandardCharsets.US_ASCII), bad))));
        Arbitrary<Attack> encoded = Arbitraries.of("%C0%AF", "%ED%A0%80", "%FF", "%E2%82", "%", "%G1", "%%", "%u0041")
                .map(seq -> Attack.of("invalid percent-encoding", Request.of("GET", RESOURCES + "/" + seq + "?type=" + seq, null)));
        return Arbitraries.oneOf(inBody, inPath, inQuery, inHeader, encoded);
    }

    static Arbitrary<Attack> oversizedHeaders() {
        Arbitrary<Attack> oneHuge = Arbitraries.integers().between(17_000, 64_000).map(size ->
                Attack.of("oversized header", Request.of("GET", RESOURCES + "/1", null, "X-Padding", "a".repeat(size))));
        Arbitrary<Attack> many = Arbitraries.integers().between(200, 2_000).map(count -> {
            Request request = Request.of("GET", RESOURCES + "/1", null);
            for (int i = 0; i < count; i++) {
                request = request.with("X-H" + i, "v".repeat(16).getBytes(StandardCharsets.US_ASCII));
            }
            return Attack.of("many headers", request);
        });
        Arbitrary<Attack> hugeKey = Arbitraries.integers().between(161, 20_000).map(size ->
                Attack.of("oversized API key", Request.of("GET", RESOURCES + "/1", null, "X-API-Key", "sk_test_" + "A".repeat(size))));
        return Arbitraries.oneOf(oneHuge, many, hugeKey);
    }

    static Arbitrary<Attack> oddMethods(String key) {
        Arbitrary<String> method = Arbitraries.oneOf(
                Arbitraries.of("TRACE", "OPTIONS", "HEAD", "PROPFIND", "MKCOL", "COPY", "MOVE", "LOCK", "PURGE",
                        "get", "Post", "DEBUG", "TRACK", "SEARCH", "QUERY", "LINK", "BREW", "X"),
                Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(20));
        return Combinators.combine(method, Arbitraries.of(RESOURCES, RESOURCES + "/1", "/api/v1/status", "/api/version",
                "/api/v1/nothing", "/", "/q/health"), Arbitraries.of(true, false)).as((m, t, withKey) -> Attack.of(
                        "odd method", withKey ? Request.of(m, t, null, "X-API-Key", key) : Request.of(m, t, null)));
    }

    static Arbitrary<Attack> paths() {
        Arbitrary<String> path = Arbitraries.of("/api/v1/resources/../../../etc/passwd", "/api/v1/../../q/metrics",
                "/api/v1/resources/..%2f..%2f..%2fetc%2fpasswd", "/api/v1/resources/%2e%2e/%2e%2e/etc/passwd",
                "/api/v1/resources%2f1", "/api/v1/resources/1%2f..%2f2", "/api%2fv1%2fresources", "/api/v1/resources/%252e%252e%252f",
                "/api/v1/resources/1%00", "/api/v1/resources/%00", "/api/v1/resources/1;jsessionid=x",
                "/api/v1/resources//1", "/api//v1///resources", "/api/v1/resources/./1", "/api/v1/resources/1/",
                "/api/v1/resources/-1", "/api/v1/resources/0", "/api/v1/resources/99999999999999999999",
                "/api/v1/resources/1.5", "/api/v1/resources/0x10", "/api/v1/resources/%20", "/api/v1/resources/1?page=-1",
                "/api/v1/resources?limit=0", "/api/v1/resources?limit=100000", "/api/v1/resources?page=abc",
                "/api/v1/resources?sort=password", "/api/v1/resources?sort=-", "/api/v1/resources?sort=,,,",
                "/api/v1/admin/../resources", "/api/v1/internal/cache/clear", "/api/v1/internal/circuit-breakers",
                "/api/v2/resources", "/api/", "/api", "/%2e%2e/%2e%2e/etc/passwd", "/q/../api/v1/resources",
                "/api/v1/resources/\\..\\..\\windows", "/api/v1/resources/~root", "*",
                "http://evil.example/api/v1/resources", "/api/v1/resources?" + "a=1&".repeat(2_000));
        Arbitrary<String> longPath = Arbitraries.integers().between(2_000, 9_000).map(n -> RESOURCES + "/" + "1".repeat(n));
        return Combinators.combine(Arbitraries.oneOf(path, longPath), Arbitraries.of("GET", "DELETE", "PUT"))
                .as((p, m) -> Attack.of("path", Request.of(m, p, m.equals("PUT") ? "{}".getBytes(StandardCharsets.UTF_8) : null,
                        "Content-Type", "application/json")));
    }

    static Arbitrary<Attack> injections(String key) {
        Arbitrary<String> injection = Arbitraries.of(INJECTIONS).map(s -> java.net.URLEncoder.encode(s, StandardCharsets.UTF_8));
        Arbitrary<String> target = Combinators.combine(injection, Arbitraries.of("type", "sort", "owner", "page",
                "limit", "id")).as((inj, param) -> param.equals("id") ? RESOURCES + "/" + inj : RESOURCES + "?" + param + "=" + inj);
        Arbitrary<Attack> inQuery = target.map(t -> Attack.of("injection in URL", Request.of("GET", t, null, "X-API-Key", key)));
        Arbitrary<Attack> inBody = Combinators.combine(Arbitraries.of(INJECTIONS), Arbitraries.of("name", "type", "description"))
                .as((inj, field) -> {
                    Map<String, String> body = new java.util.TreeMap<>(Map.of("name", "n", "type", "doc"));
                    body.put(field, inj);
                    try {
                        return Attack.of("injection in body", write("POST", RESOURCES,
                                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(body), key, "application/json"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        Arbitrary<Attack> inHeaders = Arbitraries.of(INJECTIONS).map(inj -> Attack.of("injection in headers",
                Request.of("GET", RESOURCES + "/1", null, "If-None-Match", inj, "X-Request-ID", inj, "If-Match", inj)));
        return Arbitraries.oneOf(inQuery, inBody, inHeaders);
    }

    static Arbitrary<Attack> badCredentials() {
        Arbitrary<String> key = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(200),
                Arbitraries.strings().alpha().numeric().ofLength(40).map(r -> "sk_test_" + r),
                Arbitraries.strings().alpha().numeric().ofLength(40).map(r -> "sk_live_" + r),
                Arbitraries.of("", " ", "sk_", "sk_test_", "sk_TEST_" + "a".repeat(40), "null", "undefined",
                        "sk_test_" + "a".repeat(31), "' OR 1=1--"));
        Arbitrary<String> header = Arbitraries.of("X-API-Key", "Authorization:Bearer", "Authorization:Basic",
                "Authorization:Token", "Authorization:", "Authorization:Bearer Bearer");
        return Combinators.combine(key, header, Arbitraries.of("GET", "POST", "DELETE")).as((k, h, m) -> {
            String name = h.contains(":") ? "Authorization" : h;
            String value = h.contains(":") ? (h.substring(h.indexOf(':') + 1) + " " + k).trim() : k;
            // No valid key anywhere: a read may pass anonymously or be refused, a write must be refused with 401.
            Request request = Request.of(m, m.equals("GET") ? RESOURCES + "/1" : RESOURCES,
                    m.equals("POST") ? "{\"name\":\"x\",\"type\":\"doc\"}".getBytes(StandardCharsets.UTF_8) : null,
                    name, value, "Content-Type", "application/json");
            return new Attack("bad credentials", request, m.equals("GET") ? 0 : 401);
        });
    }

    static Arbitrary<Attack> bogusForwardedFor() {
        Arbitrary<String> xff = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300),
                Arbitraries.of("999.999.999.999", "::::", "1.2.3.4, , ,", "unknown", "127.0.0.1, 10.0.0.1, evil",
                        "[::1]:80", "1.2.3.4:99999", "-", ",", "0.0.0.0", "255.255.255.255", "::ffff:127.0.0.1",
                        ("1.2.3.4, ").repeat(1_000)));
        return Combinators.combine(xff, Arbitraries.of("X-Forwarded-For", "Forwarded", "X-Real-IP", "X-Forwarded-Proto",
                "X-Forwarded-Host")).as((v, h) -> Attack.of("bogus forwarding header", Request.of("GET", RESOURCES + "/1", null, h, v)));
    }

    static Arbitrary<Attack> forgedIdentity() {
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(80),
                Arbitraries.of("1", "admin", "read,write", "enterprise", "t=1,v1=00", "t=9999999999,v1=" + "a".repeat(64)));
        return Combinators.combine(value, value, value, Arbitraries.of("POST", "DELETE", "PUT")).as((user, role, sig, m) -> {
            Request request = Request.of(m, m.equals("POST") ? RESOURCES : RESOURCES + "/1",
                    m.equals("DELETE") ? null : "{\"name\":\"forged\",\"type\":\"doc\"}".getBytes(StandardCharsets.UTF_8),
                    "Content-Type", "application/json", "X-Identity-User-Id", user, "X-Identity-Role", role,
                    "X-Identity-Scopes", "read,write", "X-Identity-Tier", "enterprise", "X-Identity-Key-Id", user,
                    "X-Identity-Signature", sig);
            // Without a key the gateway must refuse every write, whatever identity the client claims.
            return new Attack("forged identity headers", request, 401);
        });
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

}
