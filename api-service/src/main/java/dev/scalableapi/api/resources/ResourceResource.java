package dev.scalableapi.api.resources;

import dev.scalableapi.api.cache.CacheStatus;
import dev.scalableapi.api.identity.CallerIdentity;
import dev.scalableapi.api.resources.view.ResourceView;
import dev.scalableapi.common.envelope.ApiResponse;
import dev.scalableapi.common.errors.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.List;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/v1/resources")
@Produces(MediaType.APPLICATION_JSON)
public class ResourceResource {

    static final String MERGE_PATCH = "application/merge-patch+json";

    private final ResourceService service;
    private final CallerIdentity identity;
    private final ResourcesConfig config;

    ResourceResource(ResourceService service, CallerIdentity identity, ResourcesConfig config) {
        this.service = service;
        this.identity = identity;
        this.config = config;
    }

    @GET
    public Uni<RestResponse<ApiResponse<List<ResourceView>>>> list(@RestQuery String page, @RestQuery String limit,
            @RestQuery String type, @RestQuery String owner, @RestQuery String sort, @RestQuery String cursor) {
        ResourceQuery query = ResourceQuery.parse(page, limit, type, owner, sort, cursor, config);
        return service.list(query).map(result -> RestResponse.ResponseBuilder
                .ok(ApiResponse.page(result.items(), result.pagination()))
                .header(CacheStatus.HEADER, CacheStatus.BYPASS.header())
                .build());
    }

    @GET
    @Path("{id}")
    public Uni<RestResponse<ApiResponse<ResourceView>>> get(@RestPath String id,
            @RestHeader("If-None-Match") String ifNoneMatch) {
        return service.get(parseId(id)).map(lookup -> {
            String etag = lookup.view().etag();
            RestResponse.ResponseBuilder<ApiResponse<ResourceView>> builder = matches(ifNoneMatch, etag)
                    ? RestResponse.ResponseBuilder.<ApiResponse<ResourceView>>create(RestResponse.Status.NOT_MODIFIED)
                    : RestResponse.ResponseBuilder.ok(ApiResponse.of(lookup.view()));
            return builder.header("ETag", etag).header(CacheStatus.HEADER, lookup.status().header()).build();
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<ApiResponse<ResourceView>>> create(@Valid @NotNull ResourceInput body,
            HttpServerRequest request) {
        return service.create(body, identity.of(request)).map(created -> RestResponse.ResponseBuilder
                .<ApiResponse<ResourceView>>created(URI.create("/api/v1/resources/" + created.id()))
                .entity(ApiResponse.of(created))
                .header("ETag", created.etag())
                .build());
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<ApiResponse<ResourceView>>> replace(@RestPath String id,
            @Valid @NotNull ResourceInput body, HttpServerRequest request) {
        return service.replace(parseId(id), body, expectedVersion(request.getHeader("If-Match")), identity.of(request))
                .map(ResourceResource::updated);
    }

    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, MERGE_PATCH})
    public Uni<RestResponse<ApiResponse<ResourceView>>> patch(@RestPath String id,
            @Valid @NotNull ResourcePatch body, HttpServerRequest request) {
        return service.patch(parseId(id), body, expectedVersion(request.getHeader("If-Match")), identity.of(request))
                .map(ResourceResource::updated);
    }

    @DELETE
    @Path("{id}")
    public Uni<RestResponse<Void>> delete(@RestPath String id, HttpServerRequest request) {
        return service.delete(parseId(id), expectedVersion(request.getHeader("If-Match")), identity.of(request))
                .map(done -> RestResponse.noContent());
    }

    private static RestResponse<ApiResponse<ResourceView>> updated(ResourceView view) {
        return RestResponse.ResponseBuilder.ok(ApiResponse.of(view)).header("ETag", view.etag()).build();
    }

    private static long parseId(String raw) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.invalidParameter("id", "must be a positive integer");
    }

    /** {@code If-Match: "3"} (or {@code W/"3"}, or a bare 3) → 3; {@code *} or absent → no expectation. */
    private static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        String tag = ifMatch.trim();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        tag = tag.replace("\"", "");
        try {
            return Long.parseLong(tag);
        } catch (NumberFormatException e) {
            throw ApiException.invalidParameter("If-Match", "must be an ETag returned by this API, e.g. \"3\"");
        }
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
