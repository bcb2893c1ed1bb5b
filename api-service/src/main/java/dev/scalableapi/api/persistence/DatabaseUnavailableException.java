package dev.scalableapi.api.persistence;

/** Refused without trying: PostgreSQL is known to be unreachable. */
public class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException() {
        super("PostgreSQL is unreachable", null, false, false);
    }
}
