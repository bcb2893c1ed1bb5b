package dev.scalableapi.api.resources;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.api.support.Api;
import dev.scalableapi.api.support.Callers;
import dev.scalableapi.common.identity.IdentityHeaders;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class ResourceValidationTest {

    private static final long OWNER = 11;

    @TestHTTPResource("/")
    URL root;

    private static io.restassured.response.ValidatableResponse post(String body) {
        return given().filter(Callers.writer(OWNER)).contentType(ContentType.JSON).body(body)
                .when().post(Api.RESOURCES).then();
    }

    private static void assertValidationFailed(io.restassured.response.ValidatableResponse response, String field) {
        Api.assertError(response, 422, "VALIDATION_FAILED")
                .body("error.details", hasKey(field))
                .body("error.message", containsString(field));
    }

    @Test
    void missingNameIs422NamingTheField() {
        assertValidationFailed(post("{\"type\":\"doc\"}"), "name");
    }

    @Test
    void blankNameIs422NamingTheField() {
        assertValidationFailed(post("{\"name\":\"   \",\"type\":\"doc\"}"), "name");
    }

    @Test
    void badTypeIs422NamingTheField() {
        assertValidationFailed(post("{\"name\":\"ok\",\"type\":\"Not A Type!\"}"), "type");
    }

    @Test
    void tooLongNameIs422NamingTheField() {
        assertValidationFailed(post("{\"name\":\"" + "n".repeat(201) + "\",\"type\":\"doc\"}"), "name");
        // 200 characters is still fine.
        post("{\"name\":\"" + "n".repeat(200) + "\",\"type\":\"doc\"}").statusCode(201);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "name        | a\\u0000b", "description | nul\\u0000", "name        | \\ud800x", "description | x\\udc00",
        "name        | \\udc00\\ud800", "description | end\\ud83d"})
    void textPostgresqlCannotStoreIs422NamingTheField(String field, String escaped) {
        String body = field.equals("name") ? "{\"name\":\"" + escaped + "\",\"type\":\"doc\"}"
                : "{\"name\":\"ok\",\"type\":\"doc\",\"description\":\"" + escaped + "\"}";
        assertValidationFailed(post(body), field);
        long id = Api.create(OWNER, "patched with " + field, "doc");
        assertValidationFailed(given().filter(Callers.writer(OWNER)).contentType(ContentType.JSON)
                .body("{\"" + field + "\":\"" + escaped + "\"}")
                .when().patch(Api.RESOURCES + "/" + id).then(), field);
    }

    @Test
    void pairedSurrogatesAreStoredAsSent() {
        long emoji = Api.create(OWNER, "emoji \ud83d\ude00", "doc");
        given().filter(Callers.reader(OWNER)).when().get(Api.RESOURCES + "/" + emoji).then().statusCode(200)
                .body("data.name", equalTo("emoji \ud83d\ude00"));
    }

    @Test
    void wrongJsonTypeIs422NamingTheField() {
        assertValidationFailed(post("{\"name\":{},\"type\":\"doc\"}"), "name");
        long id = Api.create(OWNER, "version typed", "doc");
        assertValidationFailed(given().filter(Callers.writer(OWNER)).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"type\":\"doc\",\"version\":\"x\"}")
                .when().put(Api.RESOURCES + "/" + id).then(), "version");
        assertValidationFailed(given().filter(Callers.writer(OWNER)).contentType(ContentType.JSON)
                .body("{\"version\":\"x\"}")
                .when().patch(Api.RESOURCES + "/" + id).then(), "version");
    }

    @Test
    void patchSettingNameToNullIs422() {
        long id = Api.create(OWNER, "patch null", "doc");
        assertValidationFailed(given().filter(Callers.writer(OWNER)).contentType(ContentType.JSON)
                .body("{\"name\":null}")
                .when().patch(Api.RESOURCES + "/" + id).then(), "name");
    }

    @Test
    void malformedJsonIs400() {
        Api.assertError(post("{\"name\": \"unterminated"), 400, "MALFORMED_JSON");
        Api.assertError(post("not json at all"), 400, "MALFORMED_JSON");
    }

    /** Jackson reads a body opening with a UTF-32 byte-order mark (or NULs) as UTF-32: invalid UTF-32 is malformed. */
    @Test
    void aBodyThatIsNotTheUtf32ItsFirstBytesClaimIs400() {
        byte[] json = "{\"name\":\"x\",\"type\":\"doc\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (byte[] opening : new byte[][] {{0, 0, (byte) 0xFE, (byte) 0xFF}, {(byte) 0xFF, (byte) 0xFE, 0, 0},
            {0, 0, 0}}) {
            byte[] body = new byte[opening.length + json.length];
            System.arraycopy(opening, 0, body, 0, opening.length);
            System.arraycopy(json, 0, body, opening.length, json.length);
            Api.assertError(given().filter(Callers.writer(OWNER)).contentType(ContentType.JSON).body(body)
                    .when().post(Api.RESOURCES).then(), 400, "MALFORMED_JSON");
        }
    }

    @Test
    void textPlainIs415() {
        Api.assertError(given().filter(Callers.writer(OWNER)).contentType(ContentType.TEXT)
                .body("{\"name\":\"x\",\"type\":\"doc\"}")
                .when().post(Api.RESOURCES).then(), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void bodyOverOneMebibyteIs413BeforeItIsRead() throws Exception {
        // A raw request that declares 2 MiB and sends none of it: the answer must come from the declared length.
        Map<String, String> headers = Callers.writer(OWNER).headersFor("POST", Api.RESOURCES);
        StringBuilder request = new StringBuilder()
                .append("POST ").append(Api.RESOURCES).append(" HTTP/1.1\r\n")
                .append("Host: ").append(root.getHost()).append(':').append(root.getPort()).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(2 * 1024 * 1024).append("\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("\r\n");
        String response;
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            response = readResponse(socket.getInputStream());
        }
        assertTrue(response.startsWith("HTTP/1.1 413"), response);
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        JsonPath json = new JsonPath(body);
        assertEquals("PAYLOAD_TOO_LARGE", json.getString("error.code"));
        assertTrue(json.getString("meta.requestId") != null && !json.getString("meta.requestId").isBlank(), body);

        // The same through an ordinary client, with a real 1 MiB + 1 byte body.
        String big = "{\"name\":\"x\",\"type\":\"doc\",\"description\":\"" + "d".repeat(1024 * 1024) + "\"}";
        Api.assertError(post(big), 413, "PAYLOAD_TOO_LARGE");
    }

    /** Status line, headers and a Content-Length body; does not wait for the server to close the connection. */
    private static String readResponse(InputStream in) throws java.io.IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        int headerEnd = -1;
        int contentLength = -1;
        int b;
        while ((b = in.read()) >= 0) {
            read.write(b);
            String soFar = read.toString(StandardCharsets.ISO_8859_1);
            if (headerEnd < 0 && soFar.endsWith("\r\n\r\n")) {
                headerEnd = soFar.length();
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)")
                        .matcher(soFar);
                contentLength = m.find() ? Integer.parseInt(m.group(1)) : 0;
            }
            if (headerEnd >= 0 && read.size() >= headerEnd + contentLength) {
                break;
            }
        }
        return read.toString(StandardCharsets.UTF_8);
    }

    @Test
    void unsupportedMethodIs405() {
        long id = Api.create(OWNER, "no post here", "doc");
        Api.assertError(given().filter(Callers.writer(OWNER)).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"type\":\"doc\"}")
                .when().post(Api.RESOURCES + "/" + id).then(), 405, "METHOD_NOT_ALLOWED");
        Api.assertError(given().filter(Callers.writer(OWNER))
                .when().delete(Api.RESOURCES).then(), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void unknownIdIs404() {
        Api.assertError(given().when().get(Api.RESOURCES + "/" + Long.MAX_VALUE).then(), 404, "NOT_FOUND");
        Api.assertError(given().filter(Callers.writer(OWNER)).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"type\":\"doc\"}")
                .when().put(Api.RESOURCES + "/" + Long.MAX_VALUE).then(), 404, "NOT_FOUND");
    }

    @Test
    void unknownRouteIs404Envelope() {
        Api.assertError(given().when().get("/api/v1/no-such-route").then(), 404, "NOT_FOUND");
        Api.assertError(given().when().get("/definitely/not/here").then(), 404, "NOT_FOUND");
    }

    @ParameterizedTest(name = "{0}={1} is 400 INVALID_PARAMETER")
    @CsvSource({"limit,101", "limit,0", "limit,-1", "page,abc", "page,0", "sort,password", "sort,-password",
            "type,Bad Type", "owner,x"})
    void badListParameterIs400NamingIt(String parameter, String value) {
        Api.assertError(given().queryParam(parameter, value).when().get(Api.RESOURCES).then(),
                400, "INVALID_PARAMETER")
                .body("error.details", hasKey(parameter))
                .body("error.message", containsString(parameter));
    }

    @Test
    void limitOf100IsAccepted() {
        given().queryParam("limit", 100).when().get(Api.RESOURCES)
                .then().statusCode(200).body("meta.pagination.limit", equalTo(100));
    }

    @Test
    void nonNumericIdIs400() {
        Api.assertError(given().when().get(Api.RESOURCES + "/abc").then(), 400, "INVALID_PARAMETER")
                .body("error.details", hasKey("id"));
        Api.assertError(given().when().get(Api.RESOURCES + "/0").then(), 400, "INVALID_PARAMETER");
    }

    @Test
    void writeWithoutIdentityIs401() {
        Api.assertError(given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"type\":\"doc\"}")
                .when().post(Api.RESOURCES).then(), 401, "AUTH_REQUIRED");
    }

    @Test
    void tamperedSignatureIs401() {
        Map<String, String> forged = new HashMap<>(Callers.writer(OWNER).headersFor("POST", Api.RESOURCES));
        // Claim admin with a signature made for a plain user.
        forged.put(IdentityHeaders.ROLE, "admin");
        Api.assertError(given().headers(forged).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"type\":\"doc\"}")
                .when().post(Api.RESOURCES).then(), 401, "AUTH_REQUIRED");

        Map<String, String> badMac = new HashMap<>(Callers.writer(OWNER).headersFor("POST", Api.RESOURCES));
        String signature = badMac.get(IdentityHeaders.SIGNATURE);
        char last = signature.charAt(signature.length() - 1);
        badMac.put(IdentityHeaders.SIGNATURE, signature.substring(0, signature.length() - 1) + (last == '0' ? '1' : '0'));
        Api.assertError(given().headers(badMac).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"type\":\"doc\"}")
                .when().post(Api.RESOURCES).then(), 401, "AUTH_REQUIRED");

        // A signature made with another secret.
        Map<String, String> otherSecret = new IdentityHeaders("some-other-secret-0123456789", 300)
                .sign(new dev.scalableapi.common.identity.Identity(OWNER, null, "admin",
                        java.util.Set.of("read", "write"), "free"), "POST", Api.RESOURCES,
                        System.currentTimeMillis() / 1000);
        Api.assertError(given().headers(otherSecret).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"type\":\"doc\"}")
                .when().post(Api.RESOURCES).then(), 401, "AUTH_REQUIRED");
    }

    @Test
    void anIdentitySignedForAnotherRequestIs401() {
        long id = Api.create(OWNER, "signed for a read", "doc");
        // headers captured from a signed read of the resource cannot delete it, nor write elsewhere
        Map<String, String> signedForARead = Callers.writer(OWNER).headersFor("GET", Api.RESOURCES + "/" + id);
        Api.assertError(given().headers(signedForARead).when().delete(Api.RESOURCES + "/" + id).then(),
                401, "AUTH_REQUIRED");
        Api.assertError(given().headers(signedForARead).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"type\":\"doc\"}").when().post(Api.RESOURCES).then(),
                401, "AUTH_REQUIRED");
        given().filter(Callers.writer(OWNER)).when().get(Api.RESOURCES + "/" + id).then().statusCode(200);
        given().headers(Callers.writer(OWNER).headersFor("DELETE", Api.RESOURCES + "/" + id))
                .when().delete(Api.RESOURCES + "/" + id).then().statusCode(204);
    }

    @Test
    void readerScopeCannotWrite() {
        Api.assertError(given().filter(Callers.reader(OWNER)).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"type\":\"doc\"}")
                .when().post(Api.RESOURCES).then(), 403, "INSUFFICIENT_SCOPE");
        long id = Api.create(OWNER, "reader target", "doc");
        Api.assertError(given().filter(Callers.reader(OWNER)).when().delete(Api.RESOURCES + "/" + id).then(),
                403, "INSUFFICIENT_SCOPE");
        // Reading needs no write scope.
        given().filter(Callers.reader(OWNER)).when().get(Api.RESOURCES + "/" + id).then().statusCode(200);
    }

    @Test
    void otherUsersResourceIsForbidden() {
        String type = Api.uniqueType("forbid");
        long id = Api.create(Callers.writer(OWNER), "owned by 11", type, "original");
        Api.assertError(given().filter(Callers.writer(OWNER + 1)).contentType(ContentType.JSON)
                .body(Api.json("hijacked", type, null))
                .when().put(Api.RESOURCES + "/" + id).then(), 403, "FORBIDDEN");
        Api.assertError(given().filter(Callers.writer(OWNER + 1)).contentType(ContentType.JSON)
                .body("{\"name\":\"hijacked\"}")
                .when().patch(Api.RESOURCES + "/" + id).then(), 403, "FORBIDDEN");
        Api.assertError(given().filter(Callers.writer(OWNER + 1))
                .when().delete(Api.RESOURCES + "/" + id).then(), 403, "FORBIDDEN");
        given().when().get(Api.RESOURCES + "/" + id).then().statusCode(200)
                .body("data.name", equalTo("owned by 11"))
                .body("data.version", equalTo(0));
    }

    @Test
    void adminMayChangeAndDeleteOthersResources() {
        String type = Api.uniqueType("admin");
        long id = Api.create(Callers.writer(OWNER), "owned by 11", type, null);
        given().filter(Callers.admin(1)).contentType(ContentType.JSON)
                .body(Api.json("edited by admin", type, null))
                .when().put(Api.RESOURCES + "/" + id)
                .then().statusCode(200)
                .body("data.name", equalTo("edited by admin"))
                .body("data.ownerId", equalTo((int) OWNER));
        given().filter(Callers.admin(1)).when().delete(Api.RESOURCES + "/" + id).then().statusCode(204);
        given().when().get(Api.RESOURCES + "/" + id).then().statusCode(404);
    }

    @Test
    void errorBodiesNeverCarryAStackTrace() {
        // A value that cannot be a long at all reaches parsing code paths; still a clean envelope.
        String body = given().when().get(Api.RESOURCES + "/99999999999999999999999").then()
                .statusCode(400).extract().asString();
        assertTrue(!body.contains("Exception") && !body.contains("\tat "), body);
        given().when().get(Api.RESOURCES + "/abc").then().body(not(containsString("NumberFormatException")));
    }
}
