package dev.scalableapi.deploy.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void findsMetricNamesButNotFunctionsKeywordsOrLabels() {
        assertEquals(Set.of("http_server_requests_seconds_bucket"), PromQl.metricNames(
                "histogram_quantile(0.99, sum by (le, backend) (rate(http_server_requests_seconds_bucket"
                        + "{namespace=\"a\",job=~\"$gateway\",uri!~\"/q/{x}.*\"}[$__rate_interval] offset 5m)))"));
        assertEquals(Set.of("a_total", "b_total", "up_gauge"), PromQl.metricNames(
                "sum(rate(a_total{status=~\"5..\"}[5m])) / on (pod) group_left (node) sum(rate(b_total[5m]))"
                        + " > bool 0.05 and up_gauge == 1 unless count without (instance) (a_total) > 2e3"));
        assertEquals(Set.of("x:recorded"), PromQl.metricNames("max_over_time(x:recorded[1h:5m]) * 100"));
    }

    @Test
    void keepsEachSelectorsMatchers() {
        assertEquals(List.of(new PromQl.Selector("g", "job=~\"$gateway\""), new PromQl.Selector("h", "")),
                List.copyOf(PromQl.selectors("sum(g{job=~\"$gateway\"}) - h")));
    }
}
