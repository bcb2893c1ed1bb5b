package dev.scalableapi.common.errors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.CharConversionException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.ArrayList;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every exception that reaches the REST layer into the brief's error envelope, so no service ever
 * answers with an HTML page, a bare status or a stack trace.
 */
public class ErrorEnvelopeMapper {

    private static final Logger LOG = Logger.getLogger(ErrorEnvelopeMapper.class);

    @ServerExceptionMapper
    public Response apiException(ApiException e) {
        return ErrorEnvelopes.of(e);
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        Map<String, List<String>> details = new TreeMap<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            details.computeIfAbsent(fieldName(violation.getPropertyPath()), k -> new ArrayList<>())
                    .add(violation.getMessage());
        }
        String fields = String.join(", ", details.keySet());
        return ErrorEnvelopes.of(ErrorCode.VALIDATION_FAILED, "Validation failed for: " + fields, details);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException unknown) {
            // Only where a service turns on FAIL_ON_UNKNOWN_PROPERTIES: a typo'd or forbidden field is named.
            String field = unknown.getPropertyName();
            return ErrorEnvelopes.of(ErrorCode.VALIDATION_FAILED, "Unknown field '" + field + "'",
                    Map.of(field, List.of("is not a field of this request")));
        }
        if (e instanceof JsonMappingException mapping && !isParseFailure(e) && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            return ErrorEnvelopes.of(ErrorCode.VALIDATION_FAILED, "Field '" + field + "' has the wrong type",
                    Map.of(field, List.of("has the wrong type or format")));
        }
        return ErrorEnvelopes.of(ErrorCode.MALFORMED_JSON, "Request body is not valid JSON");
    }

    /**
     * quarkus-rest-jackson maps this subtype itself (a bare {@code {"objectName":…,"attributeName":…}} 400), and
     * the most specific mapper wins: claim it here so a wrong JSON type is the 422 envelope naming the field.
     */
    @ServerExceptionMapper
    public Response mismatchedInput(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return json(e);
    }

    /**
     * Syntax errors inside a field's value reach us wrapped in a JsonMappingException that carries the field's
     * path (Jackson's WRAP_EXCEPTIONS); they are still malformed JSON, not a wrong type.
     */
    private static boolean isParseFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonParseException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A body Jackson's encoding detection takes for UTF-32 (a UTF-32 byte-order mark, or NULs first) that is not
     * valid UTF-32: text that cannot be read is not JSON either.
     */
    @ServerExceptionMapper
    public Response unreadableText(CharConversionException e) {
        return ErrorEnvelopes.of(ErrorCode.MALFORMED_JSON, "Request body is not valid JSON");
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        if (e.getCause() instanceof CharConversionException unreadable) {
            return unreadableText(unreadable);
        }
        int status = e.getResponse().getStatus();
        return switch (status) {
            case 400 -> ErrorEnvelopes.of(ErrorCode.INVALID_PARAMETER, "Bad request: " + e.getMessage());
            case 401 -> ErrorEnvelopes.of(ErrorCode.AUTH_REQUIRED, "Authentication required");
            case 403 -> ErrorEnvelopes.of(ErrorCode.FORBIDDEN, "Forbidden");
            case 404 -> ErrorEnvelopes.of(ErrorCode.NOT_FOUND, "No such resource or route");
            case 405 -> methodNotAllowed(e.getResponse());
            case 406 -> ErrorEnvelopes.of(ErrorCode.NOT_ACCEPTABLE, "Only application/json responses are available");
            case 413 -> ErrorEnvelopes.of(ErrorCode.PAYLOAD_TOO_LARGE, "Request body is too large");
            case 415 -> ErrorEnvelopes.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
            case 503 -> ErrorEnvelopes.of(ErrorCode.SERVICE_UNAVAILABLE, "Service unavailable");
            default -> status >= 500 ? unexpected(e)
                    : ErrorEnvelopes.of(ErrorCode.INVALID_PARAMETER, "Request rejected with status " + status);
        };
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("Unhandled error", e);
        return ErrorEnvelopes.of(ErrorCode.INTERNAL_ERROR, "Internal error");
    }

    private static Response methodNotAllowed(Response original) {
        Response envelope = ErrorEnvelopes.of(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed on this route");
        String allow = original.getHeaderString("Allow");
        return allow == null ? envelope : Response.fromResponse(envelope).header("Allow", allow).build();
    }

    /**
     * The leaf property of a violation path ("create.body.name" → "name"); a violation on a whole parameter
     * reports the parameter's name (resources name their request body parameter {@code body}).
     */
    static String fieldName(Path path) {
        String property = null;
        String parameter = null;
        for (Path.Node node : path) {
            switch (node.getKind()) {
                case PROPERTY, CONTAINER_ELEMENT -> property = node.getName();
                case PARAMETER -> parameter = node.getName();
                default -> { }
            }
        }
        if (property != null) {
            return property;
        }
        return parameter == null ? "body" : parameter;
    }
}
