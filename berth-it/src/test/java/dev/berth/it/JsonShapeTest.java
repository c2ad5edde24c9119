package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shape comparison used by the inspect ITs. */
class JsonShapeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonShape shape = new JsonShape(Set.of("EnableIPv4"));

    @Test
    void theDockerSampleHasItsOwnShape() {
        JsonNode sample = DockerSamples.inspectBridge();
        assertEquals(List.of(), shape.differences(sample, sample));
    }

    @Test
    void reportsReorderedKeysMissingKeysAndKindChanges() throws Exception {
        JsonNode expected = JSON.readTree("{\"a\":1,\"b\":{\"c\":\"x\",\"d\":[true]}}");
        assertEquals(List.of("$: keys [b, a] differ from [a, b]"),
                shape.differences(expected, JSON.readTree("{\"b\":{\"c\":\"x\",\"d\":[true]},\"a\":1}")));
        assertEquals(List.of("$.b: keys [c] differ from [c, d]"),
                shape.differences(expected, JSON.readTree("{\"a\":2,\"b\":{\"c\":\"y\"}}")));
        assertEquals(List.of("$.b.d[0]: expected BOOLEAN but was STRING"),
                shape.differences(expected, JSON.readTree("{\"a\":2,\"b\":{\"c\":\"y\",\"d\":[\"true\"]}}")));
    }

    @Test
    void toleratesListedExtrasAndAnythingWhereTheSampleHasNull() throws Exception {
        JsonNode expected = JSON.readTree("{\"EnableIPv6\":false,\"Options\":null}");
        JsonNode actual = JSON.readTree("{\"EnableIPv4\":true,\"EnableIPv6\":false,\"Options\":{}}");
        assertEquals(List.of(), shape.differences(expected, actual));
    }
}
