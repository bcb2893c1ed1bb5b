package dev.scalableapi.deploy.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads the chart's declared dependencies from Chart.yaml. */
public final class ChartDependency {

    private ChartDependency() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, String> kubePrometheusStack(Path chartYaml) {
        try {
            Map<String, Object> chart = Yaml.MAPPER.readValue(chartYaml.toFile(), Map.class);
            List<Map<String, String>> dependencies = (List<Map<String, String>>) chart.get("dependencies");
            return dependencies.stream().filter(d -> "kube-prometheus-stack".equals(d.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("Chart.yaml declares no kube-prometheus-stack dependency"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
