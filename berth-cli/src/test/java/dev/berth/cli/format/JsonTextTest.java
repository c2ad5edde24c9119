package dev.berth.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JsonTextTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = JsonTextTest.class.getResourceAsStream("/docker/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"inspect-bridge.default.json", "inspect-net1.json", "inspect-net6.json"})
    void compactThenIndentGivesDockersOutputByteForByte(String sample) throws IOException {
        String docker = resource(sample);
        String compact = JsonText.compact(docker);
        assertEquals(docker, JsonText.indent(compact, "", "    ") + "\n");
    }

    @Test
    void rawElementsWithTrailingNewlinesAreJoinedLikeDocker() {
        String joined = "[" + "{\"a\":1}\n" + "," + "{\"b\":[]}\n" + "]";
        assertEquals("[\n    {\n        \"a\": 1\n    },\n    {\n        \"b\": []\n    }\n]", JsonText.indent(joined, "", "    "));
    }

    @Test
    void stringsAreCopiedVerbatimWithTheirEscapes() {
        String src = "{\"k\" : \"a \\\" , : { [ \\u003c\\n\" , \"e\":{ }}";
        assertEquals("{\n  \"k\": \"a \\\" , : { [ \\u003c\\n\",\n  \"e\": {}\n}", JsonText.indent(src, "", "  "));
        assertEquals("{\"k\":\"a \\\" , : { [ \\u003c\\n\",\"e\":{}}", JsonText.compact(src));
    }

    @Test
    void leadingSpaceDroppedTrailingSpaceKept() {
        assertEquals("[]\n", JsonText.indent("  [ ]\n", "", "    "));
        assertEquals("[\n>\t1,\n>\t2\n>]", JsonText.indent("[1, 2]", ">", "\t"));
    }

    @Test
    void goStringQuoting() {
        assertEquals("\"a<b>&\\u2028\\u0001\\b\\t\\\"\"", GoJson.quote("a<b>&\u2028\u0001\b\t\"", false));
        assertEquals("\"\\u003c\\u0026\\u003e\"", GoJson.quote("<&>", true));
        assertEquals("\"\\ufffd\"", GoJson.quote("\ud800", true));
    }
}
