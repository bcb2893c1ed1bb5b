package dev.scalableapi.common.requestid;

import io.smallrye.common.vertx.ContextLocals;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code X-Request-ID} rule of the brief: a client's id is kept when it is a sane token (at most 64 of
 * {@code [A-Za-z0-9._-]}), otherwise a fresh one is generated. The id of the request being served lives in the
 * Vert.x duplicated context, so it follows the request across reactive hops.
 */
public final class RequestId {

    public static final String HEADER = "X-Request-ID";
    public static final String MDC_KEY = "requestId";
    static final String CONTEXT_KEY = "scalable-api.request-id";

    private static final int MAX_LENGTH = 64;

    private RequestId() {
    }

    /** Checked on every request of every hop, so by hand rather than with a regular expression. */
    public static boolean isSane(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    public static String acceptOrGenerate(String candidate) {
        return isSane(candidate) ? candidate : generate();
    }

    /**
     * A random (version 4) UUID from the thread's own generator: a request id is a correlation handle, not a
     * secret, and {@code UUID.randomUUID()} draws from the shared SecureRandom on every request.
     */
    public static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }

    /** The id of the request being served, or null outside a request. */
    public static String current() {
        Context context = Vertx.currentContext();
        if (context == null || !io.smallrye.common.vertx.VertxContext.isDuplicatedContext(context)) {
            return null;
        }
        return ContextLocals.<String>get(CONTEXT_KEY).orElse(null);
    }
}
