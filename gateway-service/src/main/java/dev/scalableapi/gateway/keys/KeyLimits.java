package dev.scalableapi.gateway.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.gateway.ratelimit.RateLimitPolicy;
import java.util.List;

/** A key's own policies as the {@code api_keys.rate_limits} column holds them: a JSON array, or null. */
final class KeyLimits {

    private static final TypeReference<List<RateLimitPolicy>> LIST = new TypeReference<>() {
    };

    private KeyLimits() {
    }

    static List<RateLimitPolicy> read(ObjectMapper json, String column) {
        if (column == null) {
            return null;
        }
        try {
            return List.copyOf(json.readValue(column, LIST));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("api_keys.rate_limits holds no policy list: " + e.getMessage(), e);
        }
    }

    static String write(ObjectMapper json, List<RateLimitPolicy> limits) {
        if (limits == null) {
            return null;
        }
        try {
            return json.writeValueAsString(limits);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
