package dev.scalableapi.balancer.support;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** A long run of reproducible pseudo-random bytes (xorshift), produced in chunks so nothing big is held. */
public final class DeterministicBytes {

    private final long total;
    private long produced;
    private long state = 0x9E3779B97F4A7C15L;

    public DeterministicBytes(long total) {
        this.total = total;
    }

    /** The next chunk of at most {@code max} bytes, or null when all were produced. */
    public byte[] next(int max) {
        int size = (int) Math.min(max, total - produced);
        if (size <= 0) {
            return null;
        }
        byte[] chunk = new byte[size];
        for (int i = 0; i < size; i++) {
            if (((produced + i) & 7) == 0) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
            }
            chunk[i] = (byte) (state >>> (((produced + i) & 7) * 8));
        }
        produced += size;
        return chunk;
    }

    /** SHA-256 of {@code total} deterministic bytes, computed without holding them. */
    public static String sha256Of(long total) {
        MessageDigest digest = TestBackend.sha256();
        DeterministicBytes source = new DeterministicBytes(total);
        for (byte[] chunk = source.next(1 << 16); chunk != null; chunk = source.next(1 << 16)) {
            digest.update(chunk);
        }
        return hex(digest.digest());
    }

    /** The bytes as a stream, for uploads of any size. */
    public static InputStream stream(long total) {
        DeterministicBytes source = new DeterministicBytes(total);
        return new InputStream() {
            private byte[] chunk = new byte[0];
            private int pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos == chunk.length) {
                    chunk = source.next(1 << 16);
                    pos = 0;
                    if (chunk == null) {
                        chunk = new byte[0];
                        return -1;
                    }
                }
                int n = Math.min(len, chunk.length - pos);
                System.arraycopy(chunk, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    /** Like {@link #stream(long)}, but spread evenly over {@code duration}: a slow client's upload. */
    public static InputStream slowStream(long total, java.time.Duration duration) {
        InputStream fast = stream(total);
        long started = System.nanoTime();
        return new InputStream() {
            private long sent;

            @Override
            public int read() throws java.io.IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                long due = started + duration.toNanos() * sent / Math.max(1, total);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait); // pacing, not synchronisation
                }
                int n = fast.read(b, off, Math.min(len, 16 * 1024));
                if (n > 0) {
                    sent += n;
                }
                return n;
            }
        };
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
