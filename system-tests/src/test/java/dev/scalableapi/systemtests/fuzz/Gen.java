package dev.scalableapi.systemtests.fuzz;

import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * The random choices behind one generated input. Each input gets its own generator, derived from the run's seed, the
 * sequence it belongs to and its index alone, so {@code -Dfuzz.seed=S -Dfuzz.index=I} rebuilds input I exactly,
 * without generating the ones before it.
 */
final class Gen {

    private static final RandomGeneratorFactory<RandomGenerator> ALGORITHM = RandomGeneratorFactory.of("L64X128MixRandom");

    /** Characters a text generator returns more often than their share of the range: where parsers have edges. */
    private static final char[] EDGE_CHARS = {'\u0000', '\u0001', '\u001F', ' ', '"', '\\', '/', '\u007F', '\u0080',
        '\u00FF', '\u0100', '\u2028', '\u2029', '\u202E', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uFEFF', '\uFFFE',
        '\uFFFF'};

    private final RandomGenerator random;

    private Gen(RandomGenerator random) {
        this.random = random;
    }

    /** The generator of input {@code index} in sequence {@code sequence} of the run seeded with {@code seed}. */
    static Gen forInput(long seed, long sequence, long index) {
        // SplitMix64's finaliser spreads neighbouring (seed, sequence, index) triples over the whole seed space
        return new Gen(ALGORITHM.create(mix(mix(seed ^ mix(sequence)) + index)));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [min, max]. */
    int uniform(int min, int max) {
        return random.nextInt(min, max + 1);
    }

    /** In [min, max], with each bound drawn one time in eight: off-by-one limits live there. */
    int between(int min, int max) {
        int roll = random.nextInt(8);
        return roll == 0 ? min : roll == 1 ? max : uniform(min, max);
    }

    boolean bool() {
        return random.nextBoolean();
    }

    /** True once in {@code n} draws on average. */
    boolean oneIn(int n) {
        return random.nextInt(n) == 0;
    }

    long nextLong() {
        return random.nextLong();
    }

    double nextDouble() {
        return random.nextDouble();
    }

    <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    @SafeVarargs
    final <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    /** {@code minLength}..{@code maxLength} characters drawn from {@code alphabet}. */
    String from(String alphabet, int minLength, int maxLength) {
        int length = between(minLength, maxLength);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** Characters from the inclusive ranges given as pairs {@code from, to, from, to, …}, all ranges equally likely. */
    String inRanges(int minLength, int maxLength, char... ranges) {
        int length = between(minLength, maxLength);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int range = random.nextInt(ranges.length / 2) * 2;
            text.append((char) uniform(ranges[range], ranges[range + 1]));
        }
        return text.toString();
    }

    /** Any UTF-16 code units (lone surrogates and NUL included), edge characters favoured. */
    String anyText(int minLength, int maxLength) {
        int length = between(minLength, maxLength);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(8);
            text.append(kind == 0 ? EDGE_CHARS[random.nextInt(EDGE_CHARS.length)]
                    : kind < 4 ? (char) uniform(' ', '~') : (char) random.nextInt(0x10000));
        }
        return text.toString();
    }

    String alphanumeric(int length) {
        return from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", length, length);
    }

    byte[] bytes(int minLength, int maxLength) {
        byte[] bytes = new byte[between(minLength, maxLength)];
        random.nextBytes(bytes);
        return bytes;
    }
}
