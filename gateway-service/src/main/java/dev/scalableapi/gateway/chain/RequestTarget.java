package dev.scalableapi.gateway.chain;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;

/**
 * A request target is ASCII (RFC 9112 §3.2; anything else is percent-encoded). Raw bytes outside it were passed on
 * to the balancer, whose HTTP server refused them with a bare 400 that the client got without the error envelope;
 * the gateway refuses them itself.
 */
final class RequestTarget {

    private RequestTarget() {
    }

    static boolean isAscii(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    static ApiException notAscii() {
        return new ApiException(ErrorCode.INVALID_PARAMETER,
                "The request target must be ASCII: percent-encode other characters");
    }
}
