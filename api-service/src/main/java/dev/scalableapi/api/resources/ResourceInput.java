package dev.scalableapi.api.resources;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * Body of POST and PUT. {@code version} is optional on PUT (the expected current version, like If-Match) and
 * ignored on POST.
 */
@RegisterForReflection
public record ResourceInput(
        @NotBlank @Size(max = 200) @StorableText String name,
        @NotBlank @Pattern(regexp = ResourceInput.TYPE_PATTERN, message = ResourceInput.TYPE_MESSAGE) String type,
        @Size(max = 2000) @StorableText String description,
        @PositiveOrZero Long version) {

    static final String TYPE_PATTERN = "[a-z0-9][a-z0-9_-]{0,49}";
    static final String TYPE_MESSAGE = "must be 1-50 lower-case letters, digits, '-' or '_'";
}
