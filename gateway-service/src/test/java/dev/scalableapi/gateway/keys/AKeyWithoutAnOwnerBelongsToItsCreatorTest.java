package dev.scalableapi.gateway.keys;

import static org.hamcrest.Matchers.equalTo;

import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.Accounts.User;
import dev.scalableapi.gateway.support.WithEchoUpstream;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/admin/keys} without {@code ownerId} makes the calling admin the owner (issue 16). */
@QuarkusTest
@TestProfile(WithEchoUpstream.class)
class AKeyWithoutAnOwnerBelongsToItsCreatorTest {

    @Inject
    Pool pool;

    @Test
    void withoutOwnerIdTheCallerOwnsTheKeyWithOneTheNamedUserDoes() {
        User admin = Accounts.create(pool, "admin");
        User owner = Accounts.create(pool, "user");
        String token = Accounts.token(admin.email(), admin.password());

        Accounts.as(token).contentType(ContentType.JSON)
                .body(Map.of("name", "mine", "tier", "free", "scopes", List.of("read")))
                .post("/api/v1/admin/keys").then().statusCode(201)
                .body("data.details.ownerId", equalTo((int) admin.id()))
                .body("data.details.ownerEmail", equalTo(admin.email()));
        Accounts.as(token).contentType(ContentType.JSON)
                .body(Map.of("name", "theirs", "ownerId", owner.id(), "tier", "free", "scopes", List.of("read")))
                .post("/api/v1/admin/keys").then().statusCode(201)
                .body("data.details.ownerId", equalTo((int) owner.id()));
        Accounts.as(token).contentType(ContentType.JSON)
                .body(Map.of("name", "nobody's", "ownerId", 999_999_999, "tier", "free", "scopes", List.of("read")))
                .post("/api/v1/admin/keys").then().statusCode(422).body("error.details.ownerId[0]",
                        equalTo("no such user"));
    }
}
