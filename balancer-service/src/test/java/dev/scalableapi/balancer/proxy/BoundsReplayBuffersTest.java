package dev.scalableapi.balancer.proxy;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.scalableapi.balancer.support.Backends;
import dev.scalableapi.balancer.support.Lb;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bodies held for a possible re-send take at most {@code balancer.retry.max-replay-buffers} (32 MiB) together, and
 * give their room back when the client leaves half-way.
 */
@QuarkusTest
@WithTestResource(Backends.class)
class BoundsReplayBuffersTest {

    private static final long MIB = 1024 * 1024;
    private static final String BYTES = "balancer_replay_buffer_bytes";
    private static final String REFUSALS = "balancer_replay_buffer_refusals_total";

    @BeforeEach
    void cleanSlate() {
        Lb.awaitCleanSlate();
    }

    @Test
    void unfinishedUploadsHoldNoMoreThanTheBoundAndReleaseItWhenTheClientLeaves() throws Exception {
        double refusedBefore = Lb.metric(REFUSALS, "");
        List<Socket> uploads = new ArrayList<>();
        try {
            // 33 PUTs of 1 MiB declared (each replayable on its own), 1 KiB of each sent: 32 fit, the 33rd streams.
            for (int i = 0; i < 33; i++) {
                uploads.add(startUpload(MIB, 1024));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> Lb.metric(REFUSALS, "") == refusedBefore + 1);
            assertThat(Lb.metric(BYTES, ""), equalTo(32.0 * MIB));
        } finally {
            for (Socket upload : uploads) {
                upload.close();
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Lb.metric(BYTES, "") == 0.0);
    }

    private static Socket startUpload(long declared, int sent) throws Exception {
        Socket socket = new Socket("localhost", Lb.port());
        OutputStream out = socket.getOutputStream();
        out.write(("PUT /api/v1/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[sent]);
        out.flush();
        return socket;
    }
}
