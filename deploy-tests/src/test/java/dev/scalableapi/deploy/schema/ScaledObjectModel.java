package dev.scalableapi.deploy.schema;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * KEDA's {@code keda.sh/v1alpha1} ScaledObject as its CRD defines it (KEDA 2.x), for unknown-field detection: fabric8
 * has no model for it. Read strictly, so a field outside the CRD fails; the embedded Kubernetes types (metadata, the
 * HPA behavior) are fabric8's and are checked like every other object.
 */
final class ScaledObjectModel {

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Map<String, Object> status) {
    }

    record Spec(ScaleTargetRef scaleTargetRef, Integer pollingInterval, Integer initialCooldownPeriod,
            Integer cooldownPeriod, Integer idleReplicaCount, Integer minReplicaCount, Integer maxReplicaCount,
            Advanced advanced, List<Trigger> triggers, Fallback fallback) {
    }

    record ScaleTargetRef(String apiVersion, String kind, String name, String envSourceContainerName) {
    }

    record Advanced(Boolean restoreToOriginalReplicaCount, HorizontalPodAutoscalerConfig horizontalPodAutoscalerConfig,
            ScalingModifiers scalingModifiers) {
    }

    record HorizontalPodAutoscalerConfig(String name, HorizontalPodAutoscalerBehavior behavior) {
    }

    record ScalingModifiers(String formula, String target, String activationTarget, String metricType) {
    }

    record Fallback(Integer failureThreshold, Integer replicas, String behavior) {
    }

    record Trigger(String type, String name, Boolean useCachedMetrics, Map<String, String> metadata,
            AuthenticationRef authenticationRef, String metricType) {
    }

    record AuthenticationRef(String name, String kind) {
    }

    private ScaledObjectModel() {
    }

    static List<String> unknownFields(String json) {
        ScaledObject scaledObject;
        try {
            scaledObject = STRICT.readValue(json, ScaledObject.class);
        } catch (UnrecognizedPropertyException e) {
            return List.of(e.getPathReference() + ": unknown field " + e.getPropertyName() + " in ScaledObject");
        } catch (IOException e) {
            return List.of("unreadable ScaledObject: " + e.getMessage());
        }
        List<String> findings = new ArrayList<>();
        UnknownFields.walk(scaledObject.metadata(), ".metadata", findings);
        if (scaledObject.spec() != null && scaledObject.spec().advanced() != null
                && scaledObject.spec().advanced().horizontalPodAutoscalerConfig() != null) {
            UnknownFields.walk(scaledObject.spec().advanced().horizontalPodAutoscalerConfig().behavior(),
                    ".spec.advanced.horizontalPodAutoscalerConfig.behavior", findings);
        }
        return findings;
    }
}
