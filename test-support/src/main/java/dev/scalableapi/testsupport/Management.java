package dev.scalableapi.testsupport;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A {@code @QuarkusTest}'s management interface: health, metrics and OpenAPI answer there, not on the traffic
 * port.
 */
public final class Management {

    private Management() {
    }

    public static RequestSpecification given() {
        return RestAssured.given().port(port());
    }

    /** The port the test instance's management interface got ({@code %test.quarkus.management.test-port=0}). */
    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }
}
