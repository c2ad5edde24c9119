package dev.berth.daemon.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.ContainerConfig;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.ProcessLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OCI config.json Berth gives runc, compared with what dockerd 28 generates. */
class OciSpecTest {
    private static final SandboxId ID = new SandboxId("c".repeat(64));

    @TempDir
    Path tmp;
    Path rootfs;
    Path dir;

    @BeforeEach
    void rootfs() throws IOException {
        rootfs = Files.createDirectories(tmp.resolve("root/etc"));
        rootfs = rootfs.getParent();
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nwheel:x:10:app,other\nadm:x:4:app\napp:x:1000:\n");
        dir = tmp.resolve("bundle");
    }

    private static ContainerConfig container(List<String> capAdd, List<String> capDrop, boolean privileged) {
        return new ContainerConfig("busybox", "sha256:" + "0".repeat(64), List.of("sh"), List.of("-c", "true"),
                List.of("A=1", "PATH=/bin"), "/work", "app", true, true, false,
                List.of(new ContainerConfig.Mount("bind", "/srv/data", "/data", true, List.of()),
                        new ContainerConfig.Mount("tmpfs", "", "/run", false, List.of("size=64m"))),
                true, new ContainerConfig.Resources(256L << 20, 1_500_000_000L, 100), capAdd, capDrop, privileged,
                null, null, null, Map.of(), null);
    }

    private ObjectNode config(ContainerConfig c, String netns) {
        return OciSpec.config(new ProcessLauncher.Launch(ID, "web", "web-host", netns, c.argv(), List.of(), false, c,
                rootfs.toString()), dir);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void theProcessHasTheArgvEnvironmentUserAndTerminal() {
        JsonNode process = config(container(List.of(), List.of(), false), "/run/berth/netns/c").path("process");
        assertEquals(List.of("sh", "-c", "true"), strings(process.path("args")));
        assertEquals(List.of("PATH=/bin", "HOSTNAME=web-host", "TERM=xterm", "A=1", "HOME=/home/app"),
                strings(process.path("env")), "PATH from the container overrides Docker's default in place");
        assertEquals("/work", process.path("cwd").asText());
        assertEquals(1000, process.path("user").path("uid").asInt());
        assertEquals(1000, process.path("user").path("gid").asInt());
        assertEquals("[1000,10,4]", process.path("user").path("additionalGids").toString(), "the primary group first, as moby");
        assertTrue(process.path("terminal").asBoolean());
        assertFalse(process.path("noNewPrivileges").asBoolean());
    }

    @Test
    void theConsoleSizeTheCliSentSizesTheTerminal() {
        ContainerConfig base = container(List.of(), List.of(), false);
        ContainerConfig.Shown sized = new ContainerConfig.Shown("", List.of(), true, true, true, List.of(30, 100),
                List.of(), Map.of(), null, Map.of());
        JsonNode process = config(with(base, base.tty(), sized), "").path("process");
        assertEquals(30, process.path("consoleSize").path("height").asInt(), process::toString);
        assertEquals(100, process.path("consoleSize").path("width").asInt(), process::toString);
        assertTrue(config(base, "").path("process").path("consoleSize").isMissingNode(), "no size given: none set");
        assertTrue(config(with(base, false, sized), "").path("process").path("consoleSize").isMissingNode(),
                "no terminal: no size (runc refuses consoleSize without one)");
    }

    private static ContainerConfig with(ContainerConfig c, boolean tty, ContainerConfig.Shown shown) {
        return new ContainerConfig(c.image(), c.imageId(), c.entrypoint(), c.cmd(), c.env(), c.workingDir(), c.user(),
                tty, c.openStdin(), c.stdinOnce(), c.mounts(), c.readOnlyRootfs(), c.resources(), c.capAdd(),
                c.capDrop(), c.privileged(), c.restart(), c.stopSignal(), c.stopTimeout(), c.labels(), c.log(), shown);
    }

    @Test
    void dockersFourteenCapabilitiesAndTheArithmeticOfAddAndDrop() {
        assertEquals(14, OciSpec.DEFAULT_CAPS.size());
        assertTrue(OciSpec.DEFAULT_CAPS.contains("CAP_NET_RAW"));
        assertEquals(OciSpec.DEFAULT_CAPS, OciSpec.capabilities(List.of(), List.of(), false));
        List<String> tweaked = OciSpec.capabilities(List.of("net_admin", "CAP_SYS_TIME"), List.of("NET_RAW", "mknod"), false);
        assertTrue(tweaked.contains("CAP_NET_ADMIN") && tweaked.contains("CAP_SYS_TIME"));
        assertFalse(tweaked.contains("CAP_NET_RAW") || tweaked.contains("CAP_MKNOD"));
        assertEquals(14, tweaked.size());
        assertEquals(List.of("CAP_CHOWN"), OciSpec.capabilities(List.of("CHOWN"), List.of("ALL"), false));
        List<String> all = OciSpec.capabilities(List.of("ALL"), List.of("SYS_ADMIN"), false);
        assertFalse(all.contains("CAP_SYS_ADMIN"));
        assertEquals(OciSpec.AVAILABLE_CAPS.size() - 1, all.size());
        assertEquals(OciSpec.AVAILABLE_CAPS, OciSpec.capabilities(List.of(), List.of("ALL"), true), "privileged wins");
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> OciSpec.capabilities(List.of("FLY"), List.of(), false));
        assertEquals("unknown capability: \"CAP_FLY\"", e.getMessage());
        JsonNode caps = config(container(List.of("NET_ADMIN"), List.of(), false), "").path("process").path("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            assertEquals(15, caps.path(set).size(), set);
        }
    }

    @Test
    void theBoundingSetLimitsWhatAllGives() {
        // bit 24 (CAP_SYS_RESOURCE) missing, as on a host whose daemon lacks it
        List<String> available = OciSpec.available(OciSpec.ALL_CAPS, 0x1fffeffffffL);
        assertFalse(available.contains("CAP_SYS_RESOURCE"));
        assertEquals(OciSpec.ALL_CAPS.size() - 1, available.size());
    }

    @Test
    void mountsAreDockersDefaultsTheSandboxFilesAndTheUsersInOrder() {
        JsonNode mounts = config(container(List.of(), List.of(), false), "/run/berth/netns/c").path("mounts");
        List<String> destinations = new ArrayList<>();
        mounts.forEach(m -> destinations.add(m.path("destination").asText()));
        assertEquals(List.of("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm",
                "/etc/resolv.conf", "/etc/hostname", "/etc/hosts", "/data", "/run"), destinations);
        assertEquals("sysfs", mounts.get(3).path("type").asText());
        assertTrue(strings(mounts.get(3).path("options")).contains("ro"));
        assertTrue(strings(mounts.get(4).path("options")).contains("ro"));
        assertEquals(dir.resolve("hosts").toString(), mounts.get(9).path("source").asText());
        assertEquals(List.of("rbind", "rprivate", "ro"), strings(mounts.get(9).path("options")),
                "read-only like the read-only root");
        assertEquals("/srv/data", mounts.get(10).path("source").asText());
        assertEquals(List.of("rbind", "rprivate", "ro"), strings(mounts.get(10).path("options")));
        assertEquals(List.of("noexec", "nosuid", "nodev", "size=64m"), strings(mounts.get(11).path("options")));
        assertEquals("tmpfs", mounts.get(11).path("type").asText());

        JsonNode host = config(container(List.of(), List.of(), true), "").path("mounts");
        assertEquals("bind", host.get(3).path("type").asText(), "sysfs of the host's network namespace is bound");
        assertTrue(strings(host.get(3).path("options")).contains("rw"), "privileged: read-write");
    }

    @Test
    void aRelativeMountTargetOrSourceIsRefused() {
        ContainerConfig c = container(List.of(), List.of(), false);
        ContainerConfig relative = new ContainerConfig(c.image(), c.imageId(), c.entrypoint(), c.cmd(), c.env(), "",
                "", false, false, false, List.of(new ContainerConfig.Mount("bind", "data", "/data", false, List.of())),
                false, null, List.of(), List.of(), false, null, null, null, Map.of(), null);
        assertThrows(InvalidParameterException.class, () -> config(relative, ""));
    }

    @Test
    void namespacesJoinTheSandboxesNetworkAndNoneInHostMode() {
        JsonNode linux = config(container(List.of(), List.of(), false), "/run/berth/netns/c").path("linux");
        assertEquals("[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"},"
                + "{\"type\":\"network\",\"path\":\"/run/berth/netns/c\"}]", linux.path("namespaces").toString());
        assertEquals("0", linux.path("sysctl").path("net.ipv4.ip_unprivileged_port_start").asText());
        JsonNode host = config(container(List.of(), List.of(), false), "").path("linux");
        assertEquals("[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"}]",
                host.path("namespaces").toString());
        assertTrue(host.path("sysctl").isMissingNode());
    }

    @Test
    void resourcesRootHostnameAndTheMaskedAndReadOnlyPaths() {
        ObjectNode spec = config(container(List.of(), List.of(), false), "");
        JsonNode resources = spec.path("linux").path("resources");
        assertEquals(256L << 20, resources.path("memory").path("limit").asLong());
        assertEquals(150_000, resources.path("cpu").path("quota").asLong(), "1.5 CPUs of a 100 ms period");
        assertEquals(100_000, resources.path("cpu").path("period").asLong());
        assertEquals(100, resources.path("pids").path("limit").asLong());
        assertEquals(rootfs.toString(), spec.path("root").path("path").asText());
        assertTrue(spec.path("root").path("readonly").asBoolean());
        assertEquals("web-host", spec.path("hostname").asText());
        assertEquals(OciSpec.MASKED_PATHS, strings(spec.path("linux").path("maskedPaths")));
        assertTrue(strings(spec.path("linux").path("maskedPaths")).contains("/proc/kcore"));
        assertEquals(OciSpec.READONLY_PATHS, strings(spec.path("linux").path("readonlyPaths")));
        assertEquals("[{\"allow\":false,\"access\":\"rwm\"}]", resources.path("devices").toString());

        ObjectNode privileged = config(container(List.of(), List.of(), true), "");
        assertTrue(privileged.path("linux").path("maskedPaths").isMissingNode());
        assertTrue(privileged.path("linux").path("readonlyPaths").isMissingNode());
        assertTrue(privileged.path("linux").path("seccomp").isMissingNode());
        assertEquals("[{\"allow\":true,\"access\":\"rwm\"}]",
                privileged.path("linux").path("resources").path("devices").toString());
    }

    @Test
    void seccompDeniesWhatTheCapabilitiesDoNotCover() {
        JsonNode seccomp = config(container(List.of(), List.of(), false), "").path("linux").path("seccomp");
        assertEquals("SCMP_ACT_ALLOW", seccomp.path("defaultAction").asText());
        List<String> denied = strings(seccomp.path("syscalls").get(0).path("names"));
        for (String call : List.of("kexec_load", "reboot", "mount", "umount2", "keyctl", "bpf", "unshare", "setns",
                "init_module", "add_key")) {
            assertTrue(denied.contains(call), call);
        }
        assertEquals(1, seccomp.path("syscalls").get(0).path("errnoRet").asInt(), "EPERM, as Docker's profile");
        List<String> withAdmin = strings(OciSpec.seccomp(OciSpec.capabilities(List.of("SYS_ADMIN"), List.of(), false))
                .path("syscalls").get(0).path("names"));
        assertFalse(withAdmin.contains("mount") || withAdmin.contains("unshare"), "CAP_SYS_ADMIN opens mount");
        assertTrue(withAdmin.contains("keyctl") && withAdmin.contains("reboot"));
    }

    @Test
    void cloneMakesNoNamespaceAndClone3IsEnosysWithoutSysAdmin() {
        JsonNode syscalls = OciSpec.seccomp(OciSpec.capabilities(List.of(), List.of(), false)).path("syscalls");
        List<Long> flags = new java.util.ArrayList<>();
        for (JsonNode rule : syscalls) {
            if (strings(rule.path("names")).equals(List.of("clone"))) {
                JsonNode arg = rule.path("args").get(0);
                assertEquals(0, arg.path("index").asInt());
                assertEquals("SCMP_CMP_MASKED_EQ", arg.path("op").asText());
                assertEquals(arg.path("value").asLong(), arg.path("valueTwo").asLong(), "denied when the bit is set");
                assertEquals(1, rule.path("errnoRet").asInt());
                flags.add(arg.path("value").asLong());
            }
            if (strings(rule.path("names")).equals(List.of("clone3"))) {
                assertEquals(38, rule.path("errnoRet").asInt(), "ENOSYS: the C library falls back to clone");
            }
        }
        // CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET, one bit per rule: Docker's mask
        assertEquals(0x7E020000L, flags.stream().mapToLong(Long::longValue).reduce(0, (a, b) -> a | b));
        assertEquals(7, flags.size());
        JsonNode withAdmin = OciSpec.seccomp(OciSpec.capabilities(List.of("SYS_ADMIN"), List.of(), false)).path("syscalls");
        assertEquals(1, withAdmin.size(), "CAP_SYS_ADMIN may make namespaces");
    }
}
