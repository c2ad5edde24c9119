package dev.berth.core.service;

import dev.berth.core.model.Sandbox;
import java.util.List;

/** A sandbox and its endpoints, sorted by network name. */
public record SandboxView(Sandbox sandbox, List<Attachment> attachments) {
    public SandboxView {
        attachments = List.copyOf(attachments);
    }
}
