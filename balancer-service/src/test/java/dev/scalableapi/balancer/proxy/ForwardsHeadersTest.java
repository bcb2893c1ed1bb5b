package dev.scalableapi.balancer.proxy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.scalableapi.balancer.support.Backends;
import dev.scalableapi.balancer.support.Lb;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(Backends.class)
class ForwardsHeadersTest {

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @BeforeEach
    void cleanSlate() {
        Lb.awaitCleanSlate();
    }

    @Test
    void endToEndHeadersAreForwardedForwardingHeadersAddedAndHopByHopHeadersDropped() {
        Response response = given()
                .header("X-Request-ID", "hdr-1")
                .header("traceparent", TRACEPARENT)
                .header("X-Forwarded-For", "203.0.113.7")
                .header("Connection", "keep-alive, X-Hop-Custom")
                .header("X-Hop-Custom", "only for the next hop")
                .header("Keep-Alive", "timeout=5")
                .header("TE", "trailers")
                .header("Upgrade", "example/1")
                .header("X-End-To-End", "kept")
                .get("/api/v1/headers");
        response.then().statusCode(200);

        JsonPath seen = response.jsonPath();
        assertThat(seen.getList("data.x-request-id"), contains("hdr-1"));
        assertThat(seen.getList("data.traceparent"), contains(TRACEPARENT));
        assertThat(seen.getList("data.x-end-to-end"), contains("kept"));
        assertThat(seen.getList("data.x-forwarded-for"), contains("203.0.113.7, 127.0.0.1"));
        assertThat(seen.getList("data.x-forwarded-proto"), contains("http"));
        assertThat(seen.getList("data.x-forwarded-host"), contains("localhost:" + Lb.port()));
        for (String hop : List.of("x-hop-custom", "keep-alive", "te", "upgrade")) {
            assertThat("hop-by-hop header " + hop + " forwarded", seen.getList("data." + hop), nullValue());
        }
        List<String> connection = seen.getList("data.connection");
        if (connection != null) {
            assertThat(String.join(",", connection).toLowerCase(), not(matchesPattern(".*x-hop-custom.*")));
        }

        assertThat(response.headers().getValues("X-Request-ID"), contains("hdr-1"));
        assertThat(response.header("X-Served-By"), matchesPattern("b[1-3]"));
        assertThat("the backend's hop-by-hop headers stay there", response.header("X-Backend-Hop"), nullValue());
        assertThat(response.header("Keep-Alive"), nullValue());
    }

    @Test
    void aGeneratedRequestIdIsForwardedAndReturnedExactlyOnce() {
        Response response = given().get("/api/v1/headers");
        response.then().statusCode(200);
        List<String> returned = response.headers().getValues("X-Request-ID");
        assertThat(returned, hasSize(1));
        assertThat(returned.get(0), matchesPattern("[0-9a-f-]{36}"));
        assertThat(response.jsonPath().getList("data.x-request-id"), contains(returned.get(0)));
    }

    @Test
    void theResponseKeepsTheRequestIdWhenTheBackendDoesNotEchoIt() {
        Response response = given().header("X-Request-ID", "hdr-anon").get("/api/v1/anonymous");
        response.then().statusCode(200).header("X-Served-By", matchesPattern("b[1-3]"));
        assertThat(response.headers().getValues("X-Request-ID"), contains("hdr-anon"));
        assertThat("multi-valued backend headers survive", response.headers().getValues("Set-Cookie"),
                contains("a=1", "b=2"));
    }

    @Test
    void theClientAddressStartsXForwardedForWhenTheClientSentNone() {
        given().get("/api/v1/headers").then().statusCode(200)
                .body("data.x-forwarded-for", contains("127.0.0.1"))
                .header("X-Served-By", matchesPattern("b[1-3]"));
        assertThat(Backends.all().stream().mapToInt(b -> b.apiRequests()).sum(), equalTo(1));
    }
}
