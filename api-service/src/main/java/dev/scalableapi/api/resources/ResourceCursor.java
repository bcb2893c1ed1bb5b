package dev.scalableapi.api.resources;

import dev.scalableapi.api.resources.view.ResourceView;
import dev.scalableapi.common.errors.ApiException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

/**
 * Position after the last row of a page: the sort it was issued for, that row's id and its value of the sort
 * field. Opaque to clients (base64url of {@code <sort>:<id>[:<value>]}); the next page is the rows after
 * {@code (value, id)} in the sort's order, read from the sort's index, so its cost does not grow with depth and
 * rows inserted or deleted meanwhile neither repeat nor skip others.
 */
record ResourceCursor(ResourceSort sort, long id, Object value) {

    /** A name (200 characters, up to 4 UTF-8 bytes each) with sort and id fits well inside this. */
    private static final int MAX_LENGTH = 2048;
    private static final long MIN_SECONDS = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX_SECONDS = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    static ResourceCursor after(ResourceView row, ResourceSort sort) {
        Object value = switch (sort.field()) {
            case ID -> null;
            case CREATED_AT -> row.createdAt().atOffset(ZoneOffset.UTC);
            case NAME -> row.name();
        };
        return new ResourceCursor(sort, row.id(), value);
    }

    String encode() {
        StringBuilder plain = new StringBuilder(sort.spec()).append(':').append(id);
        switch (sort.field()) {
            case ID -> {
            }
            case CREATED_AT -> {
                Instant at = ((OffsetDateTime) value).toInstant();
                plain.append(':').append(at.getEpochSecond()).append('.').append(at.getNano());
            }
            case NAME -> plain.append(':').append((String) value);
        }
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(plain.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The cursor a previous page returned, for a request sorted by {@code sort}; 400 {@code INVALID_PARAMETER}
     * naming {@code cursor} for anything else, including a cursor of another sort (its position means nothing
     * in this order).
     */
    static ResourceCursor decode(String raw, ResourceSort sort) {
        ResourceCursor cursor;
        try {
            cursor = parse(raw);
        } catch (RuntimeException | CharacterCodingException e) {
            throw ApiException.invalidParameter("cursor", "is not a cursor returned by this API");
        }
        if (!cursor.sort.equals(sort)) {
            throw ApiException.invalidParameter("cursor", "was returned for sort=" + cursor.sort.spec()
                    + "; send it with that sort");
        }
        return cursor;
    }

    private static ResourceCursor parse(String raw) throws CharacterCodingException {
        if (raw.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("too long");
        }
        // Strict UTF-8: no unpaired surrogate can come out, and a NUL is refused below; PostgreSQL takes neither.
        CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(raw)));
        String plain = chars.toString();
        int first = plain.indexOf(':');
        ResourceSort sort = ResourceSort.parse(plain.substring(0, first));
        int second = plain.indexOf(':', first + 1);
        boolean hasValue = sort.field() != ResourceSort.Field.ID;
        if (hasValue != (second > 0)) {
            throw new IllegalArgumentException("value does not match the sort");
        }
        long id = Long.parseLong(plain.substring(first + 1, hasValue ? second : plain.length()));
        if (id < 1) {
            throw new IllegalArgumentException("id");
        }
        Object value = switch (sort.field()) {
            case ID -> null;
            case CREATED_AT -> {
                String at = plain.substring(second + 1);
                int dot = at.indexOf('.');
                long seconds = Long.parseLong(at.substring(0, dot));
                long nanos = Long.parseLong(at.substring(dot + 1));
                // years 1-9999: anything else PostgreSQL's timestamptz would refuse with an error, not a 400
                if (seconds < MIN_SECONDS || seconds > MAX_SECONDS || nanos < 0 || nanos > 999_999_999) {
                    throw new IllegalArgumentException("createdAt");
                }
                yield Instant.ofEpochSecond(seconds, nanos).atOffset(ZoneOffset.UTC);
            }
            case NAME -> {
                String name = plain.substring(second + 1);
                if (name.length() > 200 || name.indexOf('\u0000') >= 0) {
                    throw new IllegalArgumentException("name");
                }
                yield name;
            }
        };
        return new ResourceCursor(sort, id, value);
    }
}
