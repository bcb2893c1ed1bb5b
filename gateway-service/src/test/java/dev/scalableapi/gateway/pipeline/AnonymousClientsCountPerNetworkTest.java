package dev.scalableapi.gateway.pipeline;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scalableapi.gateway.support.WithTightClientLimits;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** Anonymous IPv6 clients are limited per /64, IPv4 clients per address (issue 14, point 6). */
@QuarkusTest
@TestProfile(WithTightClientLimits.class)
class AnonymousClientsCountPerNetworkTest {

    @Test
    void addressesOfOneIpv6SubnetShareOneAnonymousBudget() {
        // a client hopping addresses inside its /64 (as any IPv6 host may) still has one budget of 3
        for (String address : new String[] {"2001:db8:14:6::1", "2001:db8:14:6::2", "2001:db8:14:6:ffff::9"}) {
            given().header("X-Forwarded-For", address).get("/api/v1/things").then().statusCode(200);
        }
        given().header("X-Forwarded-For", "2001:db8:14:6:abcd::77").get("/api/v1/things")
                .then().statusCode(429).body("error.code", equalTo("RATE_LIMIT_EXCEEDED"));
        given().header("X-Forwarded-For", "2001:db8:14:7::1").get("/api/v1/things")
                .then().statusCode(200);
    }

    @Test
    void ipv4ClientsCountPerAddress() {
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", "198.51.100.61").get("/api/v1/things").then().statusCode(200);
        }
        given().header("X-Forwarded-For", "198.51.100.61").get("/api/v1/things").then().statusCode(429);
        given().header("X-Forwarded-For", "198.51.100.62").get("/api/v1/things").then().statusCode(200);
    }

    @Test
    void networksAreWrittenOnePerSubnet() {
        assertEquals("2001:db8:1:2::/64", ClientNetwork.of("2001:db8:1:2:aa:bb:cc:dd"));
        assertEquals("2001:db8:1:2::/64", ClientNetwork.of("2001:0db8:0001:0002::1"));
        assertEquals("0:0:0:0::/64", ClientNetwork.of("::1"));
        assertEquals("203.0.113.9", ClientNetwork.of("203.0.113.9"));
        assertEquals("192.0.2.1", ClientNetwork.of("::ffff:192.0.2.1"), "an IPv4-mapped address is the IPv4 client");
        assertEquals(null, ClientNetwork.of(null));
    }
}
