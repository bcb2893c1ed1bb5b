package dev.scalableapi.gateway.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Points {@code gateway.upstream.url} at real upstreams. Init arg {@code layout} is a comma list of {@code live}
 * (an {@link EchoUpstream}, named {@code live-<n>}) and {@code dead} (an {@link AbsentUpstream}), in order;
 * the default is a single live upstream.
 */
public class EchoUpstreamResource implements QuarkusTestResourceLifecycleManager {

    private final List<EchoUpstream> servers = new ArrayList<>();
    private final List<AbsentUpstream> absent = new ArrayList<>();
    private String layout = "live";

    @Override
    public void init(Map<String, String> initArgs) {
        layout = initArgs.getOrDefault("layout", "live");
    }

    @Override
    public Map<String, String> start() {
        List<String> urls = new ArrayList<>();
        for (String slot : layout.split(",")) {
            if (slot.trim().equals("dead")) {
                AbsentUpstream port = new AbsentUpstream();
                absent.add(port);
                urls.add(port.asBalancer());
            } else {
                EchoUpstream server = EchoUpstream.start("live-" + servers.size());
                servers.add(server);
                urls.add(server.asBalancer());
            }
        }
        return Map.of("gateway.upstream.url", String.join(",", urls));
    }

    @Override
    public void stop() {
        servers.forEach(EchoUpstream::close);
        servers.clear();
        absent.forEach(AbsentUpstream::close);
        absent.clear();
    }
}
