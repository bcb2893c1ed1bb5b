package dev.scalableapi.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.scalableapi.common.tiers.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every caller's policies: a tier's, or a key's own list, which replaces its tier's; a key's
 * {@code rateLimitPerMinute} sets its tier's minute limit. Each distinct list is prepared once
 * ({@link RateLimitPolicies}) and reused, so a decision formats nothing.
 * <p>
 * The tiers' policies live in PostgreSQL ({@code rate_limit_tiers}, {@code tiers/TierStore}), seeded from the
 * properties ({@link #fromProperties}); this replica starts from the properties and {@link #replace}s them with
 * what the database holds at start and after every change. A replacement is one immutable snapshot swapped through a
 * volatile reference: a decision reads the reference once and does one map lookup, with no lock.
 */
public final class TierPolicies {

    private record PerMinute(String tier, int limit) {
    }

    /** One generation of the tiers' policies; never changed once built. */
    private static final class Snapshot {
        final Map<String, List<RateLimitPolicy>> lists;
        final Map<String, RateLimitPolicies> byTier;
        final Map<String, RateLimitPolicies> adminByTier;
        final RateLimitPolicies anonymous;
        final RateLimitPolicies anonymousAdmin;
        /** Keys' minute overrides derive from their tier's list, so each generation has its own. */
        final Cache<PerMinute, RateLimitPolicies> perMinute = cache();
        final Function<PerMinute, RateLimitPolicies> withMinuteLimit = this::withMinuteLimit;
        private final SlidingWindow minute;

        Snapshot(Map<String, List<RateLimitPolicy>> tiers, SlidingWindow minute) {
            this.minute = minute;
            Map<String, List<RateLimitPolicy>> ordered = new LinkedHashMap<>();
            Map<String, RateLimitPolicies> prepared = new LinkedHashMap<>();
            Map<String, RateLimitPolicies> admin = new LinkedHashMap<>();
            tiers.forEach((tier, policies) -> {
                ordered.put(tier, List.copyOf(policies));
                prepared.put(tier, RateLimitPolicies.of(policies, minute));
                List<RateLimitPolicy> windows = policies.stream().filter(p -> !p.window().isCalendar()).toList();
                admin.put(tier, RateLimitPolicies.of(windows.isEmpty() ? policies : windows, minute));
            });
            if (!prepared.containsKey(Tier.ANONYMOUS.id())) {
                throw new IllegalArgumentException("the anonymous tier needs policies");
            }
            this.lists = Collections.unmodifiableMap(ordered);
            this.byTier = Map.copyOf(prepared);
            this.adminByTier = Map.copyOf(admin);
            this.anonymous = byTier.get(Tier.ANONYMOUS.id());
            this.anonymousAdmin = adminByTier.get(Tier.ANONYMOUS.id());
        }

        RateLimitPolicies forTier(String tier) {
            RateLimitPolicies policies = byTier.get(tier);
            return policies != null ? policies : anonymous;
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
    }

    private final SlidingWindow minute;
    private final Cache<List<RateLimitPolicy>, RateLimitPolicies> ownLists;
    /** Built once: a lambda capturing {@link #minute} in {@link #forKey} was an allocation per request. */
    private final Function<List<RateLimitPolicy>, RateLimitPolicies> prepare;
    private volatile Snapshot current;

    public TierPolicies(Map<String, List<RateLimitPolicy>> tiers, SlidingWindow minute) {
        this.minute = minute;
        this.ownLists = cache();
        this.prepare = list -> RateLimitPolicies.of(list, minute);
        this.current = new Snapshot(tiers, minute);
    }

    /** From the properties: each tier's minute policy plus its further policies. */
    public static TierPolicies of(RateLimitConfig config) {
        return new TierPolicies(fromProperties(config), SlidingWindow.of(config.window(), config.buckets()));
    }

    /** The properties' tiers: what a gateway starts from, and what seeds {@code rate_limit_tiers}. */
    public static Map<String, List<RateLimitPolicy>> fromProperties(RateLimitConfig config) {
        RateLimitConfig.Tiers perWindow = config.tiers();
        RateLimitConfig.Policies more = config.policies();
        Map<String, List<RateLimitPolicy>> tiers = new LinkedHashMap<>();
        tiers.put(Tier.ANONYMOUS.id(), tier(Tier.ANONYMOUS, perWindow.anonymous(), more.anonymous()));
        tiers.put(Tier.FREE.id(), tier(Tier.FREE, perWindow.free(), more.free()));
        tiers.put(Tier.PRO.id(), tier(Tier.PRO, perWindow.pro(), more.pro()));
        tiers.put(Tier.ENTERPRISE.id(), tier(Tier.ENTERPRISE, perWindow.enterprise(), more.enterprise()));
        return tiers;
    }

    /**
     * Makes {@code tiers} every tier's policies from now on, all at once (a decision sees the old set or the new,
     * never a mix). Throws, keeping the current set, when a list is not valid.
     */
    public void replace(Map<String, List<RateLimitPolicy>> tiers) {
        current = new Snapshot(tiers, minute);
    }

    /** Every tier's policies, in the order they were given. */
    public Map<String, List<RateLimitPolicy>> tiers() {
        return current.lists;
    }

    /** A tier's policies; unknown tiers get the anonymous tier's (the most cautious ones). */
    public RateLimitPolicies forTier(String tier) {
        return current.forTier(tier);
    }

    /**
     * What an admin's own calls to the admin API spend: the tier's sliding windows, not its day or month quotas, so
     * operating the platform (the dashboard polls) never uses up a consumer quota or locks an admin out for a month.
     */
    public RateLimitPolicies forAdminRoutes(String tier) {
        Snapshot snapshot = current;
        RateLimitPolicies policies = snapshot.adminByTier.get(tier);
        return policies != null ? policies : snapshot.anonymousAdmin;
    }

    /** A key's policies: its own list, else its tier's with {@code perMinute} (when set) as the minute limit. */
    public RateLimitPolicies forKey(String tier, List<RateLimitPolicy> own, Integer perMinute) {
        if (own != null && !own.isEmpty()) {
            return ownLists.get(own, prepare);
        }
        Snapshot snapshot = current;
        if (perMinute != null && perMinute > 0) {
            return snapshot.perMinute.get(new PerMinute(tier, perMinute), snapshot.withMinuteLimit);
        }
        return snapshot.forTier(tier);
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

    /**
     * Bounded: each distinct key list or override is one small entry; the least recently used go first. Read on
     * every request: its upkeep runs on the reading thread, as handing it to the common pool woke a pool thread
     * every few reads (1.6 % of the gateway's CPU under load, async-profiler).
     */
    private static <K> Cache<K, RateLimitPolicies> cache() {
        return Caffeine.newBuilder().maximumSize(10_000).expireAfterAccess(Duration.ofHours(1))
                .executor(Runnable::run).build();
    }
}
