package dev.scalableapi.gateway.proxy;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;

/**
 * The caller's credentials, which stop at the gateway: the API key ({@code X-API-Key}), a bearer key or login
 * token ({@code Authorization}) and the admin session cookie. Behind the gateway the caller is the signed identity
 * alone, so a replica, its logs or anything it calls never hold a secret that works at the edge. Other cookies are
 * the application's and pass.
 */
final class CredentialHeaders {

    private final String sessionCookie;

    /** @param sessionCookie the admin session cookie's name */
    CredentialHeaders(String sessionCookie) {
        this.sessionCookie = sessionCookie;
    }

    void removeFrom(MultiMap headers) {
        headers.remove("X-API-Key");
        headers.remove("Authorization");
        List<String> cookieLines = headers.getAll("Cookie");
        if (cookieLines.isEmpty()) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String line : cookieLines) {
            for (String pair : line.split(";")) {
                String trimmed = pair.trim();
                int equals = trimmed.indexOf('=');
                String name = equals < 0 ? trimmed : trimmed.substring(0, equals).trim();
                if (!trimmed.isEmpty() && !name.equals(sessionCookie)) {
                    kept.add(trimmed);
                }
            }
        }
        if (kept.isEmpty()) {
            headers.remove("Cookie");
        } else {
            headers.set("Cookie", String.join("; ", kept));
        }
    }
}
