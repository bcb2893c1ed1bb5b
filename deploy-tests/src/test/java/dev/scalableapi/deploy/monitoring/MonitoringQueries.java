package dev.scalableapi.deploy.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.deploy.support.Manifest;
import dev.scalableapi.deploy.support.Renders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every PromQL expression the chart ships: alert rules, Grafana dashboard panels and template variables, and the
 * KEDA triggers' queries (for both metric options).
 */
public final class MonitoringQueries {

    /** Where an expression comes from (for messages) and the expression itself. */
    public record Query(String source, String expression) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$");

    private MonitoringQueries() {
    }

    public static Map<String, Object> prometheusRule() {
        return Renders.chartProduction().ofKind("PrometheusRule").get(0);
    }

    public static List<Query> alertRules() {
        List<Query> queries = new ArrayList<>();
        for (Map<String, Object> group : Manifest.list(Manifest.at(prometheusRule(), "spec.groups"))) {
            for (Map<String, Object> rule : Manifest.list(group.get("rules"))) {
                queries.add(new Query("alert " + rule.get("alert"), String.valueOf(rule.get("expr"))));
            }
        }
        return queries;
    }

    public static List<Query> dashboards() {
        List<Query> queries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> dashboard : dashboardJson().entrySet()) {
            String name = dashboard.getKey();
            for (JsonNode panel : dashboard.getValue().path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(new Query("dashboard " + name + " panel \"" + panel.path("title").asText() + "\"",
                            target.path("expr").asText()));
                }
            }
            for (JsonNode variable : dashboard.getValue().path("templating").path("list")) {
                if (!"query".equals(variable.path("type").asText())) {
                    continue;
                }
                String query = variable.path("query").path("query").asText();
                Matcher labelValues = LABEL_VALUES.matcher(query);
                queries.add(new Query("dashboard " + name + " variable $" + variable.path("name").asText(),
                        labelValues.matches() ? labelValues.group(1) : query));
            }
        }
        return queries;
    }

    public static List<Query> autoscaling() {
        List<Query> queries = new ArrayList<>();
        for (Manifest manifest : List.of(Renders.chartProduction(), Renders.chartAlternatives())) {
            for (Map<String, Object> scaledObject : manifest.ofKind("ScaledObject")) {
                for (Map<String, Object> trigger : Manifest.list(Manifest.at(scaledObject, "spec.triggers"))) {
                    if ("prometheus".equals(trigger.get("type"))) {
                        queries.add(new Query("ScaledObject " + Manifest.name(scaledObject) + " trigger "
                                + trigger.get("name"), String.valueOf(Manifest.at(trigger, "metadata.query"))));
                    }
                }
            }
        }
        return queries;
    }

    public static List<Query> all() {
        List<Query> all = new ArrayList<>(alertRules());
        all.addAll(dashboards());
        all.addAll(autoscaling());
        return all;
    }

    /** Dashboard name (ConfigMap key) to its JSON, from the default render's ConfigMaps labelled for Grafana. */
    public static Map<String, JsonNode> dashboardJson() {
        Map<String, JsonNode> dashboards = new java.util.TreeMap<>();
        for (Map<String, Object> configMap : Renders.chartDefaults().ofKind("ConfigMap")) {
            if (!"1".equals(Manifest.labels(configMap).get("grafana_dashboard"))) {
                continue;
            }
            Manifest.stringMap(configMap.get("data")).forEach((key, json) -> {
                try {
                    dashboards.put(key, JSON.readTree(json));
                } catch (IOException e) {
                    throw new UncheckedIOException(key + " is not JSON", e);
                }
            });
        }
        return dashboards;
    }
}
