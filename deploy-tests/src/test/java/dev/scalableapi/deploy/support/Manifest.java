package dev.scalableapi.deploy.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/** A set of Kubernetes objects (a chart render or a kustomize build), as plain maps, with a name for messages. */
public record Manifest(String name, List<Map<String, Object>> objects) {

    public static Manifest of(String name, String yaml) {
        return new Manifest(name, Yaml.documents(yaml));
    }

    public List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    public Optional<Map<String, Object>> find(String kind, String objectName) {
        return ofKind(kind).stream().filter(o -> objectName.equals(name(o))).findFirst();
    }

    public Map<String, Object> get(String kind, String objectName) {
        return find(kind, objectName).orElseThrow(
                () -> new AssertionError(this.name + ": no " + kind + " named " + objectName));
    }

    /** Deployments, StatefulSets, DaemonSets, Jobs and bare Pods: everything that runs containers. */
    public List<Map<String, Object>> workloads() {
        return objects.stream().filter(o -> podSpec(o).isPresent()).toList();
    }

    public Manifest filter(Predicate<Map<String, Object>> keep) {
        return new Manifest(name, objects.stream().filter(keep).toList());
    }

    public static String name(Map<String, Object> object) {
        return (String) map(object, "metadata").get("name");
    }

    public static String kind(Map<String, Object> object) {
        return (String) object.get("kind");
    }

    public static String id(Map<String, Object> object) {
        return kind(object) + "/" + name(object);
    }

    public static Map<String, String> labels(Map<String, Object> object) {
        return stringMap(map(object, "metadata").get("labels"));
    }

    public static Map<String, String> annotations(Map<String, Object> object) {
        return stringMap(map(object, "metadata").get("annotations"));
    }

    /** The pod spec of a workload: spec.template.spec, or spec for a Pod. */
    public static Optional<Map<String, Object>> podSpec(Map<String, Object> object) {
        return switch (Objects.toString(object.get("kind"))) {
            case "Pod" -> Optional.of(map(object, "spec"));
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" ->
                    Optional.of(map(map(map(object, "spec"), "template"), "spec"));
            default -> Optional.empty();
        };
    }

    public static Map<String, String> podLabels(Map<String, Object> workload) {
        if ("Pod".equals(workload.get("kind"))) {
            return labels(workload);
        }
        return labels(map(map(workload, "spec"), "template"));
    }

    public static List<Map<String, Object>> containers(Map<String, Object> podSpec) {
        return list(podSpec.get("containers"));
    }

    public static List<Map<String, Object>> initContainers(Map<String, Object> podSpec) {
        return list(podSpec.get("initContainers"));
    }

    public static Optional<Map<String, Object>> container(Map<String, Object> workload, String containerName) {
        return podSpec(workload).stream().flatMap(spec -> containers(spec).stream())
                .filter(c -> containerName.equals(c.get("name"))).findFirst();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object parent, String key) {
        Object value = parent instanceof Map<?, ?> m ? m.get(key) : null;
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(Object value) {
        if (!(value instanceof List<?> items)) {
            return List.of();
        }
        List<Map<String, Object>> maps = new ArrayList<>();
        for (Object item : items) {
            maps.add((Map<String, Object>) item);
        }
        return maps;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, String> stringMap(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
    }

    /** Follows a dotted path of map keys ("spec.template.spec"); null where it stops. */
    public static Object at(Object root, String path) {
        Object current = root;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }
}
