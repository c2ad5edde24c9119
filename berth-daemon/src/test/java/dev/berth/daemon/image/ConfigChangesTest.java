package dev.berth.daemon.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.errors.InvalidParameterException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigChangesTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void dockerfileInstructionsBecomeConfig() {
        String config = ConfigChanges.apply(mapper, List.of("CMD [\"sh\",\"-c\",\"echo hi\"]", "ENTRYPOINT /init --x",
                "ENV A=1 B=\"two words\"", "ENV C 3", "ENV A=9", "WORKDIR /srv", "USER nobody", "LABEL a=b",
                "EXPOSE 80 53/udp", "STOPSIGNAL SIGINT", "VOLUME /data")).toString();
        assertEquals("{\"Cmd\":[\"sh\",\"-c\",\"echo hi\"],\"Entrypoint\":[\"/bin/sh\",\"-c\",\"/init --x\"],"
                + "\"Env\":[\"B=two words\",\"C=3\",\"A=9\"],\"WorkingDir\":\"/srv\",\"User\":\"nobody\",\"Labels\":{\"a\":\"b\"},"
                + "\"ExposedPorts\":{\"80/tcp\":{},\"53/udp\":{}},\"StopSignal\":\"SIGINT\",\"Volumes\":{\"/data\":{}}}", config);
    }

    @Test
    void otherInstructionsAreRefusedWithMobysWords() {
        assertEquals("run is not a valid change command",
                assertThrows(InvalidParameterException.class, () -> ConfigChanges.apply(mapper, List.of("RUN echo"))).getMessage());
        assertThrows(InvalidParameterException.class, () -> ConfigChanges.apply(mapper, List.of("EXPOSE eighty")));
        assertThrows(InvalidParameterException.class, () -> ConfigChanges.apply(mapper, List.of("ENV")));
    }
}
