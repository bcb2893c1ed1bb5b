package dev.scalableapi.deploy.schema;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Finds fields the Kubernetes API would reject as unknown (a typo such as {@code imagePullPolice}): each object is
 * read into fabric8's typed model of its kind, which keeps every field it does not know in
 * {@code additionalProperties}; any non-empty one, at any depth, is a finding. ServiceMonitor and PrometheusRule
 * come from fabric8's monitoring model; KEDA's ScaledObject, which fabric8 does not model, from
 * {@link ScaledObjectModel}. A kind with no model is a finding too, so nothing passes unchecked.
 */
public final class UnknownFields {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private UnknownFields() {
    }

    /** Paths of unknown fields (or the reason the object could not be checked); empty when clean. */
    public static List<String> in(Map<String, Object> object) {
        String json = SERIALIZATION.asJson(object);
        if ("keda.sh/v1alpha1".equals(object.get("apiVersion")) && "ScaledObject".equals(object.get("kind"))) {
            return ScaledObjectModel.unknownFields(json);
        }
        Object typed;
        try {
            typed = SERIALIZATION.unmarshal(json);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return List.of("does not fit the typed model: " + cause.getMessage().lines().findFirst().orElse(""));
        }
        if (typed instanceof GenericKubernetesResource) {
            return List.of("no typed model for " + object.get("apiVersion") + " " + object.get("kind")
                    + ": add one before the chart may render it");
        }
        List<String> findings = new ArrayList<>();
        walk(typed, "", findings);
        return findings;
    }

    /** Recurses through fabric8 model objects (and lists and maps of them), reporting additionalProperties. */
    static void walk(Object value, String path, List<String> findings) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", findings);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                walk(entry.getValue(), path + "." + entry.getKey(), findings);
            }
            return;
        }
        if (!isModel(value.getClass())) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (Modifier.isStatic(getter.getModifiers()) || getter.getParameterCount() != 0
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = getter.getName();
            try {
                if (name.equals("getAdditionalProperties")) {
                    Map<?, ?> extra = (Map<?, ?>) getter.invoke(value);
                    if (extra != null && !extra.isEmpty()) {
                        findings.add((path.isEmpty() ? "" : path + ".") + extra.keySet()
                                + " unknown in " + value.getClass().getSimpleName());
                    }
                } else if (name.startsWith("get") && name.length() > 3 && isModelProperty(getter)) {
                    walk(getter.invoke(value), path + "." + Character.toLowerCase(name.charAt(3)) + name.substring(4),
                            findings);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(getter + ": " + e, e);
            }
        }
    }

    private static boolean isModelProperty(Method getter) {
        Class<?> type = getter.getReturnType();
        return Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type) || isModel(type)
                || type == Object.class;
    }

    private static boolean isModel(Class<?> type) {
        return type.getName().startsWith("io.fabric8.") && (KubernetesResource.class.isAssignableFrom(type)
                || hasAdditionalProperties(type));
    }

    private static boolean hasAdditionalProperties(Class<?> type) {
        try {
            type.getMethod("getAdditionalProperties");
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
