package dev.scalableapi.api.resources;

import dev.scalableapi.api.resources.view.ResourceView;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

@Entity
@Table(name = "resources")
public class Resource extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, length = 200)
    public String name;

    @Column(nullable = false, length = 50)
    public String type;

    @Column(length = 2000)
    public String description;

    @Column(name = "owner_id", nullable = false)
    public Long ownerId;

    /** Optimistic lock: Hibernate adds {@code where version = ?} to every update and bumps it. */
    @Version
    public long version;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** What the API shows of this resource. */
    public ResourceView view() {
        return new ResourceView(id, name, type, description, ownerId, version, createdAt, updatedAt);
    }
}
