package dev.scalableapi.deploy.monitoring;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vector selectors (metric name and label matchers) of a PromQL expression. Only PromQL's lexical structure is
 * needed to tell metric names from functions, keywords, label names and durations; whether an expression is valid
 * PromQL is promtool's call ({@link PrometheusRulesTest}).
 */
public final class PromQl {

    /** A vector selector, e.g. {@code x_total{job="a",status=~"5.."}}: its metric and its matchers' text. */
    public record Selector(String metric, String labelMatchers) {
    }

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MASKED_STRING = Pattern.compile("\"#(\\d+)\"");
    private static final Pattern MATCHERS = Pattern.compile("\\{([^}]*)}");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern RANGE_OR_OFFSET = Pattern.compile("\\[[^\\]]*]|\\boffset\\s+-?\\w+");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.])[a-zA-Z_:][a-zA-Z0-9_:]*(?![\\w:])");
    private static final Pattern SELECTOR_MATCHERS = Pattern.compile("^\\s*\\{#(\\d+)}");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "by", "without", "on",
            "ignoring", "group_left", "group_right", "offset", "inf", "nan");

    private PromQl() {
    }

    public static Set<Selector> selectors(String expression) {
        String expr = expression.replaceAll("\\$__(rate_interval|interval|range)", "5m");
        List<String> strings = new ArrayList<>();
        expr = STRING.matcher(expr).replaceAll(m -> {
            strings.add(m.group());
            return "\"#" + (strings.size() - 1) + "\"";
        });
        List<String> matchers = new ArrayList<>();
        expr = MATCHERS.matcher(expr).replaceAll(m -> {
            matchers.add(MASKED_STRING.matcher(m.group(1)).replaceAll(s ->
                    Matcher.quoteReplacement(strings.get(Integer.parseInt(s.group(1))))));
            return "{#" + (matchers.size() - 1) + "}";
        });
        expr = MASKED_STRING.matcher(expr).replaceAll("\"\"");
        expr = GROUPING.matcher(expr).replaceAll(" ");
        expr = RANGE_OR_OFFSET.matcher(expr).replaceAll(" ");

        Set<Selector> selectors = new LinkedHashSet<>();
        Matcher identifier = IDENTIFIER.matcher(expr);
        while (identifier.find()) {
            String name = identifier.group();
            String rest = expr.substring(identifier.end());
            if (KEYWORDS.contains(name) || rest.stripLeading().startsWith("(")) {
                continue; // an operator, or a call of a function or aggregation
            }
            Matcher labels = SELECTOR_MATCHERS.matcher(rest);
            selectors.add(new Selector(name, labels.find() ? matchers.get(Integer.parseInt(labels.group(1))) : ""));
        }
        return selectors;
    }

    public static Set<String> metricNames(String expression) {
        Set<String> names = new LinkedHashSet<>();
        selectors(expression).forEach(s -> names.add(s.metric()));
        return names;
    }
}
