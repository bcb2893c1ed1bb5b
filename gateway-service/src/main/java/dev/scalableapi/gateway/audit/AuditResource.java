package dev.scalableapi.gateway.audit;

import dev.scalableapi.common.envelope.ApiResponse;
import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.params.QueryParameters;
import dev.scalableapi.gateway.paging.KeysetCursor;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.RestQuery;

/** {@code GET /api/v1/admin/audit}: who did what, newest first, keyset-paged; filter by action or actor. */
@Path("/api/v1/admin/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private static final Pattern ACTION = Pattern.compile("[a-z]{1,20}\\.[a-z]{1,20}");

    private final AuditLog audit;

    AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    public Uni<ApiResponse<List<AuditEntry>>> list(@RestQuery String action, @RestQuery String actorId,
            @RestQuery String limit, @RestQuery String cursor) {
        int pageSize = QueryParameters.positiveInt("limit", limit, 50, 200);
        Long actor = QueryParameters.positiveId("actorId", actorId);
        if (action != null && !ACTION.matcher(action).matches()) {
            throw ApiException.invalidParameter("action", "must be an action such as key.create");
        }
        return audit.page(action, actor, KeysetCursor.decode(cursor), pageSize).map(entries -> KeysetCursor.page(
                entries, pageSize, entry -> new KeysetCursor(entry.occurredAt(), entry.id())));
    }
}
