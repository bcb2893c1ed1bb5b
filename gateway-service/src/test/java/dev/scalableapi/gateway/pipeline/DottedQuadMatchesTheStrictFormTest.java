package dev.scalableapi.gateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The per-request dotted-quad parser accepts exactly what the strict literal pattern accepts, with its value. */
class DottedQuadMatchesTheStrictFormTest {

    private static final Pattern STRICT =
            Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final String ALPHABET = "0123456789.:a ";

    @Test
    void agreesWithThePatternOnSeededRandomInput() {
        long seed = 20261206L;
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++) {
            String candidate = i % 2 == 0 ? nearlyAnAddress(random) : noise(random);
            long parsed = ClientAddress.ipv4(candidate);
            assertEquals(STRICT.matcher(candidate).matches(), parsed >= 0, () -> "seed " + seed + ": " + candidate);
            if (parsed >= 0) {
                assertEquals(valueOf(candidate), parsed, candidate);
            }
        }
    }

    private static String nearlyAnAddress(SplittableRandom random) {
        StringBuilder address = new StringBuilder();
        int parts = 3 + random.nextInt(3);
        for (int p = 0; p < parts; p++) {
            if (p > 0) {
                address.append('.');
            }
            int octet = random.nextInt(10) == 0 ? random.nextInt(1000) : random.nextInt(256);
            address.append(random.nextInt(20) == 0 ? "0" + octet : Integer.toString(octet));
        }
        return address.toString();
    }

    private static String noise(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(16);
        for (int c = 0; c < length; c++) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }

    private static long valueOf(String quad) {
        long value = 0;
        for (String octet : quad.split("\\.")) {
            value = (value << 8) | Integer.parseInt(octet);
        }
        return value;
    }
}
