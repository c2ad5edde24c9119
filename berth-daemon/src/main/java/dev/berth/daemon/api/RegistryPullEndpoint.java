package dev.berth.daemon.api;

import dev.berth.api.types.JsonMessage;
import dev.berth.core.errors.BerthException;
import dev.berth.daemon.image.ImageReference;
import dev.berth.daemon.image.RegistryPull;
import dev.berth.daemon.image.registry.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /images/create?fromImage=<name>&tag=<tag or digest>[&platform=os/arch]}, as moby
 * answers it: the reference is resolved at the registry first, so a bad name, a missing tag or an
 * unreachable registry is an HTTP error ({@code 404 manifest for ... not found: manifest unknown: ...});
 * then the JSON-lines progress streams ({@code Pulling from library/busybox}, per layer
 * {@code Pulling fs layer}/{@code Downloading}/{@code Download complete}/{@code Pull complete},
 * {@code Digest: sha256:...}, {@code Status: ...}) and a failure from there on is an in-band
 * {@code {"errorDetail":{"message":...},"error":...}} line. The {@code X-Registry-Auth} header
 * (the CLI sends {@code e30=}, no credentials) is not used: pulls are anonymous.
 */
public final class RegistryPullEndpoint implements ImagePull {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryPullEndpoint.class);

    private final RegistryPull pull;
    private final JsonCodec json = new JsonCodec();

    public RegistryPullEndpoint(RegistryPull pull) {
        this.pull = pull;
    }

    @Override
    public Reply pull(ApiRequest request) {
        ImageReference reference = reference(request.query("fromImage").orElse(""), request.query("tag").orElse(""));
        Platform platform = Platform.parse(request.query("platform").orElse(""));
        RegistryPull.Plan plan = pull.resolve(reference, platform);
        return new Reply.Stream(200, Dispatcher.JSON, sink -> {
            try {
                pull.pull(plan, new RegistryPull.Progress() {
                    @Override
                    public void status(String id, String status) {
                        send(sink, JsonMessage.status(id, status));
                    }

                    @Override
                    public void progress(String id, String status, long current, long total) {
                        send(sink, JsonMessage.progress(id, status, current, total));
                    }
                });
            } catch (UncheckedIOException e) {
                // the client went away: the pull stopped at its next message and left nothing
                LOG.info("pull {} stopped: {}", plan.familiar(), e.getMessage());
            } catch (RuntimeException e) {
                String message = e instanceof BerthException ? e.getMessage() : e.toString();
                LOG.info("pull {} failed: {}", plan.familiar(), message);
                if (!sink.failed()) {
                    sink.send(json.encode(JsonMessage.failure(message)));
                }
            }
        });
    }

    private void send(Reply.StreamSink sink, JsonMessage message) {
        try {
            sink.send(json.encode(message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** moby's reading of {@code fromImage} and {@code tag}: a tag that is a digest pins it, else it is the tag. */
    static ImageReference reference(String fromImage, String tag) {
        if (tag.startsWith("sha256:")) {
            return ImageReference.parse(fromImage + "@" + tag);
        }
        if (!tag.isEmpty()) {
            ImageReference base = ImageReference.parse(fromImage);
            return ImageReference.parse(base.domain().equals("docker.io") ? base.path() : base.domain() + "/" + base.path(), tag);
        }
        return ImageReference.parse(fromImage);
    }
}
