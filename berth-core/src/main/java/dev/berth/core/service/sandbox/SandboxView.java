package dev.berth.core.service.sandbox;

import dev.berth.core.model.Sandbox;
import dev.berth.core.service.state.Attachment;
import java.util.List;

/** A sandbox and its endpoints, sorted by network name. */
public record SandboxView(Sandbox sandbox, List<Attachment> attachments) {
    public SandboxView {
        attachments = List.copyOf(attachments);
    }
}
