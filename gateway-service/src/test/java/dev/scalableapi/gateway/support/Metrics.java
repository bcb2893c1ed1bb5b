package dev.scalableapi.gateway.support;

import dev.scalableapi.testsupport.Management;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples from the gateway's Prometheus endpoint. */
public final class Metrics {

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One line of the exposition: its labels and value. */
    public record Sample(Map<String, String> labels, double value) {

        public String label(String name) {
            return labels.get(name);
        }
    }

    private Metrics() {
    }

    /** The whole Prometheus exposition, as a scraper sees it. */
    public static String scrape() {
        return Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** Every sample of {@code name} (each label set once) in an exposition; exemplars are skipped. */
    public static List<Sample> samples(String exposition, String name) {
        // label values may hold braces (uri="/api/v1/resources/{id}"): only quotes delimit them
        Matcher line = Pattern.compile("^" + Pattern.quote(name)
                + "(?:\\{((?:[^\"}]|\"(?:[^\"\\\\]|\\\\.)*\")*)\\})?\\s+(\\S+)(?:\\s+#.*)?$", Pattern.MULTILINE)
                .matcher(exposition);
        List<Sample> samples = new ArrayList<>();
        while (line.find()) {
            Map<String, String> labels = new LinkedHashMap<>();
            Matcher label = LABEL.matcher(line.group(1) == null ? "" : line.group(1));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
            samples.add(new Sample(labels, Double.parseDouble(line.group(2))));
        }
        return samples;
    }

    /** The value of {@code name}, whatever its labels (for meters with one series); 0 when it does not exist. */
    public static double value(String name) {
        String body = scrape();
        Matcher matcher = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{[^}]*\\})?\\s+(\\S+)(?:\\s+#.*)?$",
                Pattern.MULTILINE).matcher(body);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    /**
     * The value of {@code name{…label="value"…}}, 0 when the series does not exist (yet). With tracing on, a
     * sample may end with an exemplar ({@code # {trace_id=…}}), which is skipped.
     */
    public static double value(String name, String label, String value) {
        String body = scrape();
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(label + "=\"" + value
                + "\"") + "[^}]*\\}\\s+(\\S+)(?:\\s+#.*)?$", Pattern.MULTILINE);
        Matcher matcher = line.matcher(body);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
