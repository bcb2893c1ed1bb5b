package dev.scalableapi.common.ordering;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NoTwoFiltersOrRoutesShareAPlaceTest {

    @Test
    void everyPlaceIsTakenOnce() throws IllegalAccessException {
        Map<Integer, String> taken = new HashMap<>();
        for (Field field : Arrays.stream(RouteOrder.class.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == int.class).toList()) {
            String before = taken.put(field.getInt(null), field.getName());
            assertNull(before, field.getName() + " shares its place with " + before);
        }
    }
}
