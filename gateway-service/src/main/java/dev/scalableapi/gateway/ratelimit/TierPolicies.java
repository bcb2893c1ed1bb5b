package dev.scalableapi.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.scalableapi.common.tiers.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every caller's policies: a tier's (its minute policy, named after the tier, with the per-window number of
 * {@code gateway.ratelimit.tiers.*}, plus the further ones of {@code gateway.ratelimit.policies.*}), or a key's own
 * list, which replaces its tier's; a key's {@code rateLimitPerMinute} sets its tier's minute limit. Each distinct
 * list is prepared once ({@link RateLimitPolicies}) and reused, so a decision formats nothing. The one source of
 * tiers' policies: a runtime source would build this from its own map instead of from properties.
 */
public final class TierPolicies {

    private record PerMinute(String tier, int limit) {
    }

    private final Map<String, RateLimitPolicies> byTier;
    private final Map<String, RateLimitPolicies> adminByTier;
    private final SlidingWindow minute;
    private final Cache<List<RateLimitPolicy>, RateLimitPolicies> ownLists;
    private final Cache<PerMinute, RateLimitPolicies> perMinute;

    public TierPolicies(Map<String, List<RateLimitPolicy>> tiers, SlidingWindow minute) {
        this.minute = minute;
        Map<String, RateLimitPolicies> prepared = new LinkedHashMap<>();
        Map<String, RateLimitPolicies> admin = new LinkedHashMap<>();
        tiers.forEach((tier, policies) -> {
            prepared.put(tier, RateLimitPolicies.of(policies, minute));
            List<RateLimitPolicy> windows = policies.stream().filter(p -> !p.window().isCalendar()).toList();
            admin.put(tier, RateLimitPolicies.of(windows.isEmpty() ? policies : windows, minute));
        });
        if (!prepared.containsKey(Tier.ANONYMOUS.id())) {
            throw new IllegalArgumentException("the anonymous tier needs policies");
        }
        this.byTier = Map.copyOf(prepared);
        this.adminByTier = Map.copyOf(admin);
        this.ownLists = cache();
        this.perMinute = cache();
    }

    /** From the properties: each tier's minute policy plus its further policies. */
    public static TierPolicies of(RateLimitConfig config) {
        RateLimitConfig.Tiers perWindow = config.tiers();
        RateLimitConfig.Policies more = config.policies();
        Map<String, List<RateLimitPolicy>> tiers = new LinkedHashMap<>();
        tiers.put(Tier.ANONYMOUS.id(), tier(Tier.ANONYMOUS, perWindow.anonymous(), more.anonymous()));
        tiers.put(Tier.FREE.id(), tier(Tier.FREE, perWindow.free(), more.free()));
        tiers.put(Tier.PRO.id(), tier(Tier.PRO, perWindow.pro(), more.pro()));
        tiers.put(Tier.ENTERPRISE.id(), tier(Tier.ENTERPRISE, perWindow.enterprise(), more.enterprise()));
        return new TierPolicies(tiers, SlidingWindow.of(config.window(), config.buckets()));
    }

    /** A tier's policies; unknown tiers get the anonymous tier's (the most cautious ones). */
    public RateLimitPolicies forTier(String tier) {
        RateLimitPolicies policies = byTier.get(tier);
        return policies != null ? policies : byTier.get(Tier.ANONYMOUS.id());
    }

    /**
     * What an admin's own calls to the admin API spend: the tier's sliding windows, not its day or month quotas, so
     * operating the platform (the dashboard polls) never uses up a consumer quota or locks an admin out for a month.
     */
    public RateLimitPolicies forAdminRoutes(String tier) {
        RateLimitPolicies policies = adminByTier.get(tier);
        return policies != null ? policies : adminByTier.get(Tier.ANONYMOUS.id());
    }

    /** A key's policies: its own list, else its tier's with {@code perMinute} (when set) as the minute limit. */
    public RateLimitPolicies forKey(String tier, List<RateLimitPolicy> own, Integer perMinute) {
        if (own != null && !own.isEmpty()) {
            return ownLists.get(own, list -> RateLimitPolicies.of(list, minute));
        }
        if (perMinute != null && perMinute > 0) {
            return this.perMinute.get(new PerMinute(tier, perMinute), this::withMinuteLimit);
        }
        return forTier(tier);
    }

    /** The tier's list with its minute policy's limit replaced (or a minute policy added when it has none). */
    private RateLimitPolicies withMinuteLimit(PerMinute key) {
        RateLimitPolicies tier = forTier(key.tier());
        List<RateLimitPolicy> policies = new ArrayList<>(tier.list());
        int at = tier.minuteIndex();
        if (at >= 0) {
            policies.set(at, new RateLimitPolicy(tier.name(at), PolicyWindow.MINUTE, key.limit()));
        } else {
            policies.add(new RateLimitPolicy(null, PolicyWindow.MINUTE, key.limit()));
        }
        return RateLimitPolicies.of(policies, minute);
    }

    /**
     * Parses {@code [name:]window:limit, …} (a property's value); the error names {@code property}.
     */
    static List<RateLimitPolicy> parse(String property, String text) {
        List<RateLimitPolicy> policies = new ArrayList<>();
        for (String item : text.split(",")) {
            String[] parts = item.trim().split(":");
            try {
                if (parts.length == 2) {
                    policies.add(new RateLimitPolicy(null, PolicyWindow.of(parts[0].trim()),
                            Long.parseLong(parts[1].trim())));
                } else if (parts.length == 3) {
                    policies.add(new RateLimitPolicy(parts[0].trim(), PolicyWindow.of(parts[1].trim()),
                            Long.parseLong(parts[2].trim())));
                } else {
                    throw new IllegalArgumentException("expected [name:]window:limit");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(property + ": '" + item.trim() + "' is not [name:]window:limit"
                        + " with a window of second, minute, hour, day, month and a positive limit (" + e.getMessage()
                        + ")", e);
            }
        }
        return policies;
    }

    private static List<RateLimitPolicy> tier(Tier tier, Optional<Integer> perWindow, Optional<String> more) {
        List<RateLimitPolicy> policies = new ArrayList<>();
        policies.add(new RateLimitPolicy(tier.id(), PolicyWindow.MINUTE, perWindow.orElse(tier.defaultPerMinute())));
        more.filter(text -> !text.isBlank())
                .ifPresent(text -> policies.addAll(parse("gateway.ratelimit.policies." + tier.id(), text)));
        return policies;
    }

    /** Bounded: each distinct key list or override is one small entry; the least recently used go first. */
    private static <K> Cache<K, RateLimitPolicies> cache() {
        return Caffeine.newBuilder().maximumSize(10_000).expireAfterAccess(Duration.ofHours(1)).build();
    }
}
