package dev.berth.core.service.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.ContainerConfig;
import dev.berth.core.spi.ImageStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerPlannerTest {
    private final ContainerPlanner planner = new ContainerPlanner(2);

    private static final ImageStore.Image WEB = new ImageStore.Image("sha256:" + "a".repeat(64), List.of("web:1"),
            List.of("/entry.sh"), List.of("serve", "--port", "80"), List.of("PATH=/bin", "MODE=prod", "BARE"),
            "/srv", "www", Map.of("maintainer", "x", "tier", "web"), "SIGQUIT", List.of("80/tcp"));

    private static ContainerRequest request(List<String> cmd, List<String> entrypoint) {
        return new ContainerRequest("web:1", cmd, entrypoint, List.of(), "", "", "", false, false, false, false, false,
                false, Map.of(), "", null, List.of(), ContainerRequest.Host.NONE);
    }

    private static ContainerRequest host(ContainerRequest.Host host) {
        return request(null, null).with(host);
    }

    private static ContainerRequest.Host binds(String... binds) {
        return new ContainerRequest.Host(List.of(binds), Map.of(), List.of(), false, 0, 0, 0, 0, null, List.of(),
                List.of(), false, "", 0, false, "", Map.of(), null);
    }

    private static ContainerRequest.Host resources(long memory, long nanoCpus, long quota, long period) {
        return new ContainerRequest.Host(List.of(), Map.of(), List.of(), false, memory, nanoCpus, quota, period, null,
                List.of(), List.of(), false, "", 0, false, "", Map.of(), null);
    }

    private static ContainerRequest.Host log(String type, Map<String, String> options) {
        return new ContainerRequest.Host(List.of(), Map.of(), List.of(), false, 0, 0, 0, 0, null, List.of(),
                List.of(), false, "", 0, false, type, options, null);
    }

    private static ContainerRequest.Host mount(ContainerRequest.MountRequest m) {
        return new ContainerRequest.Host(List.of(), Map.of(), List.of(m), false, 0, 0, 0, 0, null, List.of(),
                List.of(), false, "", 0, false, "", Map.of(), null);
    }

    private String refused(ContainerRequest r) {
        return assertThrows(InvalidParameterException.class, () -> planner.plan(r, WEB)).getMessage();
    }

    @Test
    void theImagesEntrypointAndCmdUnlessTheRequestSaysOtherwise() {
        ContainerConfig plain = planner.plan(request(null, null), WEB);
        assertEquals(List.of("/entry.sh"), plain.entrypoint());
        assertEquals(List.of("serve", "--port", "80"), plain.cmd());
        ContainerConfig cmd = planner.plan(request(List.of("sh"), null), WEB);
        assertEquals(List.of("/entry.sh", "sh"), cmd.argv());
        ContainerConfig entry = planner.plan(request(null, List.of("/bin/other")), WEB);
        assertEquals(List.of("/bin/other"), entry.argv(), "a new entrypoint drops the image's Cmd");
        ContainerConfig reset = planner.plan(request(null, List.of("")), WEB);
        assertEquals(List.of(), reset.entrypoint(), "--entrypoint \"\" resets it");
        assertEquals(List.of("serve", "--port", "80"), reset.cmd());
        assertEquals(List.of("ls", "-l"), planner.plan(request(List.of("ls", "-l"), List.of()), WEB).argv());
        ImageStore.Image none = new ImageStore.Image("sha256:" + "c".repeat(64), List.of(), List.of(), List.of(),
                List.of(), "", "", Map.of(), "", List.of());
        assertEquals("No command specified", assertThrows(InvalidParameterException.class,
                () -> planner.plan(request(null, null), none)).getMessage());
    }

    @Test
    void envByKeyAndTheOtherDefaultsAsDockerdMergesThem() {
        ContainerRequest r = new ContainerRequest("web:1", null, null, List.of("MODE=dev", "EXTRA=1"), "", "", "",
                true, true, true, true, true, true, Map.of("tier", "db", "own", "1"), "", 5, List.of("53/udp"),
                ContainerRequest.Host.NONE);
        ContainerConfig c = planner.plan(r, WEB);
        assertEquals(List.of("MODE=dev", "EXTRA=1", "PATH=/bin", "BARE"), c.env());
        assertEquals(Map.of("maintainer", "x", "tier", "db", "own", "1"), c.labels());
        assertEquals("/srv", c.workingDir());
        assertEquals("www", c.user());
        assertEquals("SIGQUIT", c.stopSignal());
        assertEquals(5, c.stopTimeout());
        assertEquals(List.of("53/udp", "80/tcp"), c.shown().exposedPorts());
        assertEquals(WEB.id(), c.imageId());
        assertEquals("web:1", c.image());
        ContainerRequest own = new ContainerRequest("web:1", null, null, List.of(), "/tmp", "0:0", "", false, false,
                false, false, false, false, Map.of(), "SIGINT", null, List.of(), ContainerRequest.Host.NONE);
        ContainerConfig c2 = planner.plan(own, WEB);
        assertEquals(List.of("/tmp", "0:0", "SIGINT"), List.of(c2.workingDir(), c2.user(), c2.stopSignal()));
        assertEquals(WEB.env(), c2.env());
    }

    @Test
    void bindsMountsAndTmpfsBecomeMountsInOrder() {
        ContainerRequest.Host h = new ContainerRequest.Host(List.of("/srv:/data:ro", "/logs:/var/log"),
                Map.of("/run", "rw,size=64m,mode=1777"),
                List.of(new ContainerRequest.MountRequest("bind", "/etc/x", "/x", true, "rslave", 0, 0),
                        new ContainerRequest.MountRequest("tmpfs", "", "/scratch", false, "", 1 << 20, 01777)),
                true, 0, 0, 0, 0, null, List.of(), List.of(), false, "", 0, false, "", Map.of(), null);
        ContainerConfig c = planner.plan(host(h), WEB);
        assertEquals(List.of(
                new ContainerConfig.Mount("bind", "/srv", "/data", true, List.of()),
                new ContainerConfig.Mount("bind", "/logs", "/var/log", false, List.of()),
                new ContainerConfig.Mount("bind", "/etc/x", "/x", true, List.of("rslave")),
                new ContainerConfig.Mount("tmpfs", "", "/scratch", false, List.of("size=1048576", "mode=1777")),
                new ContainerConfig.Mount("tmpfs", "", "/run", false, List.of("size=64m", "mode=1777"))), c.mounts());
        assertEquals(true, c.readOnlyRootfs());
    }

    @Test
    void badMountsAreRefusedWithMobysWords() {
        assertEquals("invalid volume specification: '/srv:data': invalid mount config for type \"bind\": invalid"
                + " mount path: 'data' mount path must be absolute", refused(host(binds("/srv:data"))));
        assertEquals("invalid volume specification: '/a:/b:/c:/d'", refused(host(binds("/a:/b:/c:/d"))));
        assertEquals("invalid mode: xyz", refused(host(binds("/a:/b:xyz"))));
        assertEquals("invalid mode: ro,rw", refused(host(binds("/a:/b:ro,rw"))));
        assertEquals("invalid specification: destination can't be '/'", refused(host(binds("/a:/"))));
        assertEquals("Duplicate mount point: /b", refused(host(binds("/a:/b", "/c:/b/"))));
        assertEquals("invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute",
                refused(host(mount(new ContainerRequest.MountRequest("bind", "/a", "rel", false, "", 0, 0)))));
        assertEquals("invalid mount config for type \"bind\": field Source must not be empty",
                refused(host(mount(new ContainerRequest.MountRequest("bind", "", "/t", false, "", 0, 0)))));
        assertEquals("invalid mount config for type \"tmpfs\": field Target must not be empty",
                refused(host(mount(new ContainerRequest.MountRequest("tmpfs", "", "", false, "", 0, 0)))));
        assertEquals("invalid mount config for type \"weird\": mount type unknown",
                refused(host(mount(new ContainerRequest.MountRequest("weird", "", "/t", false, "", 0, 0)))));
    }

    @Test
    void restartPoliciesAndAutoRemoveAsMobyChecksThem() {
        assertEquals("can't create 'AutoRemove' container with restart policy",
                refused(host(ContainerRequest.Host.restart("always", 0, true))));
        assertEquals("invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure',"
                + " or 'unless-stopped'", refused(host(ContainerRequest.Host.restart("sometimes", 0, false))));
        assertEquals("invalid restart policy: maximum retry count can only be used with 'on-failure'",
                refused(host(ContainerRequest.Host.restart("always", 3, false))));
        assertEquals("invalid restart policy: maximum retry count cannot be negative",
                refused(host(ContainerRequest.Host.restart("on-failure", -1, false))));
        assertEquals(new ContainerConfig.RestartPolicy("on-failure", 3),
                planner.plan(host(ContainerRequest.Host.restart("on-failure", 3, false)), WEB).restart());
        assertEquals(ContainerConfig.RestartPolicy.NO,
                planner.plan(host(ContainerRequest.Host.restart("no", 0, true)), WEB).restart());
    }

    @Test
    void resourcesCapabilitiesSignalsAndDirectoriesAreChecked() {
        assertEquals("Minimum memory limit allowed is 6MB", refused(host(resources(-1, 0, 0, 0))));
        assertEquals("Minimum memory limit allowed is 6MB", refused(host(resources(1024, 0, 0, 0))));
        assertEquals("Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available",
                refused(host(resources(0, 3_000_000_000L, 0, 0))));
        assertEquals("Conflicting options: Nano CPUs and CPU Quota cannot both be set",
                refused(host(resources(0, 1_000_000_000L, 50_000, 0))));
        assertEquals("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)",
                refused(host(resources(0, 0, 0, 10))));
        assertEquals("CPU cfs quota can not be less than 1ms (i.e. 1000)", refused(host(resources(0, 0, 10, 0))));
        assertEquals(new ContainerConfig.Resources(64L << 20, 1_500_000_000L, 0, 0, 0),
                planner.plan(host(resources(64L << 20, 1_500_000_000L, 0, 0)), WEB).resources());
        ContainerRequest.Host caps = new ContainerRequest.Host(List.of(), Map.of(), List.of(), false, 0, 0, 0, 0, null,
                List.of("net_admin", "CAP_SYS_TIME", "ALL"), List.of("FLY"), false, "", 0, false, "", Map.of(), null);
        assertEquals("unknown capability: \"CAP_FLY\"", refused(host(caps)));
        ContainerRequest badSignal = new ContainerRequest("web:1", null, null, List.of(), "rel", "", "", false, false,
                false, false, false, false, Map.of(), "", null, List.of(), ContainerRequest.Host.NONE);
        assertEquals("the working directory 'rel' is invalid, it needs to be an absolute path", refused(badSignal));
        ContainerRequest stop = new ContainerRequest("web:1", null, null, List.of(), "", "", "", false, false,
                false, false, false, false, Map.of(), "SIGNOPE", null, List.of(), ContainerRequest.Host.NONE);
        assertEquals("Invalid signal: SIGNOPE", refused(stop));
    }

    @Test
    void logOptionsAsJsonFileReadsThem() {
        assertEquals(new ContainerConfig.LogOptions(10_000_000, 3),
                planner.plan(host(log("json-file", Map.of("max-size", "10m", "max-file", "3"))), WEB).log());
        assertEquals(new ContainerConfig.LogOptions(0, 2),
                planner.plan(host(log("k8s-file", Map.of("max-file", "2"))), WEB).log());
        assertEquals("max-file cannot be less than 1", refused(host(log("", Map.of("max-file", "0")))));
        assertEquals("max-size must be a positive number", refused(host(log("", Map.of("max-size", "0")))));
        assertEquals("invalid size: 'lots'", refused(host(log("", Map.of("max-size", "lots")))));
        assertEquals("unknown log opt 'mode' for json-file log driver", refused(host(log("", Map.of("mode", "x")))));
        assertEquals("logger: no log driver named 'syslog' is registered", refused(host(log("syslog", Map.of()))));
    }

    @Test
    void signalsByNameWithOrWithoutSigOrByNumber() {
        assertEquals(15, Signals.parse("TERM"));
        assertEquals(15, Signals.parse("SIGTERM"));
        assertEquals(10, Signals.parse("sigusr1"));
        assertEquals(9, Signals.parse("9"));
        assertEquals(37, Signals.parse("RTMIN+3"));
        assertEquals(9, Signals.parseOr("", 9));
        for (String bad : List.of("FOO", "0", "65", "-1", "SIG", "")) {
            assertEquals("Invalid signal: " + bad,
                    assertThrows(InvalidParameterException.class, () -> Signals.parse(bad)).getMessage());
        }
    }
}
