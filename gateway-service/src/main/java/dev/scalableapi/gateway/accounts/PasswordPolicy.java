package dev.scalableapi.gateway.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What a password must be to guard an account: the bootstrap admin's, and every password set through the admin
 * API or a set-password token. At least {@code bootstrap-admin.min-password-length} characters, not a known default
 * password, and at most 72 bytes (bcrypt reads no more; a longer password is refused rather than cut).
 */
@ApplicationScoped
public class PasswordPolicy {

    private static final int BCRYPT_MAX_BYTES = 72;

    private final AccountsConfig.BootstrapAdmin config;

    PasswordPolicy(AccountsConfig config) {
        this.config = config.bootstrapAdmin();
    }

    /** Why the password may not guard an account, or empty when it may. */
    public Optional<String> weakness(String password) {
        if (config.forbiddenPasswords().contains(password)) {
            return Optional.of("is a known default password");
        }
        if (password.length() < config.minPasswordLength()) {
            return Optional.of("must be at least " + config.minPasswordLength() + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > BCRYPT_MAX_BYTES) {
            return Optional.of("must be at most " + BCRYPT_MAX_BYTES + " bytes");
        }
        return Optional.empty();
    }
}
