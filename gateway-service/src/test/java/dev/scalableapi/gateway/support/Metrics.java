package dev.scalableapi.gateway.support;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one sample from the gateway's Prometheus endpoint. */
public final class Metrics {

    private Metrics() {
    }

    /**
     * The value of {@code name{…label="value"…}}, 0 when the series does not exist (yet). With tracing on, a
     * sample may end with an exemplar ({@code # {trace_id=…}}), which is skipped.
     */
    /** The value of {@code name}, whatever its labels (for meters with one series); 0 when it does not exist. */
    public static double value(String name) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher matcher = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{[^}]*\\})?\\s+(\\S+)(?:\\s+#.*)?$",
                Pattern.MULTILINE).matcher(body);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    public static double value(String name, String label, String value) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(label + "=\"" + value
                + "\"") + "[^}]*\\}\\s+(\\S+)(?:\\s+#.*)?$", Pattern.MULTILINE);
        Matcher matcher = line.matcher(body);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
