package dev.scalableapi.api.resources;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Body of PATCH, with JSON merge-patch meaning: a field that is absent stays as it is, {@code description: null}
 * clears the description. Setters record which fields were present.
 */
@RegisterForReflection
public class ResourcePatch {

    @Size(min = 1, max = 200)
    // DOTALL: without it a long name with a line break made the pattern backtrack quadratically (a 70 KB name held
    // a request thread for 34 s); with it line breaks are allowed, as POST and PUT allow them.
    @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank")
    @StorableText
    private String name;

    @Pattern(regexp = ResourceInput.TYPE_PATTERN, message = ResourceInput.TYPE_MESSAGE)
    private String type;

    @Size(max = 2000)
    @StorableText
    private String description;

    @PositiveOrZero
    private Long version;

    private boolean namePresent;
    private boolean typePresent;
    private boolean descriptionPresent;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
        this.namePresent = true;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
        this.typePresent = true;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
        this.descriptionPresent = true;
    }

    public Long getVersion() {
        return version;
    }

    public void setVersion(Long version) {
        this.version = version;
    }

    /** Name and type may be omitted but never set to null; the field is named in the 422. */
    void rejectNulledRequiredFields() {
        Map<String, List<String>> details = new TreeMap<>();
        if (namePresent && name == null) {
            details.put("name", List.of("must not be null"));
        }
        if (typePresent && type == null) {
            details.put("type", List.of("must not be null"));
        }
        if (!details.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED,
                    "Validation failed for: " + String.join(", ", details.keySet()), details, null);
        }
    }

    void applyTo(Resource resource) {
        if (namePresent) {
            resource.name = name;
        }
        if (typePresent) {
            resource.type = type;
        }
        if (descriptionPresent) {
            resource.description = description;
        }
    }
}
