package dev.berth.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link JsonTree} reads what {@code ObjectMapper.readTree} read before it, node for node, refuses what it refused, and writes what {@code toString} wrote. */
class JsonTreeTest {

    /** The mapper the CLI used until JsonTree: decimals kept as written. */
    private static ObjectMapper exactMapper() {
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
        return mapper;
    }

    private static final List<String> DOCUMENTS = List.of(
            "{}", "[]", "null", "true", "\"text\"", "0", "-7",
            "[2147483647, 2147483648, -9223372036854775808, 9223372036854775808, 123456789012345678901234567890]",
            "[1.50, 0.1, -2.0e3, 1E+3, 1e-7, 3.14159265358979323846264338327950288]",
            "{\"Name\":\"bridge\",\"Id\":\"e0977b07\",\"Created\":\"2026-12-06T01:48:00.123456789Z\",\"Scope\":\"local\","
                    + "\"EnableIPv6\":false,\"IPAM\":{\"Driver\":\"default\",\"Options\":null,\"Config\":[{\"Subnet\":\"172.17.0.0/16\","
                    + "\"Gateway\":\"172.17.0.1\"}]},\"Containers\":{},\"Labels\":{\"a\":\"b\"}}",
            "{\"s\":\"quote \\\" backslash \\\\ tab \\t nl \\n ctl \\u0001 é € 😀 \\u00e9 \\ud83d\\ude00 </script>\"}",
            "  [ [ [ {\"deep\" : [ null , {} , [] ] } ] ] ]  ");

    @Test
    void readsTheTreeObjectMapperReads() throws Exception {
        ObjectMapper mapper = exactMapper();
        for (String document : DOCUMENTS) {
            JsonNode expected = mapper.readTree(document);
            JsonNode fromText = JsonTree.read(document);
            JsonNode fromBytes = JsonTree.read(document.getBytes(StandardCharsets.UTF_8));
            assertSame(expected, fromText, document);
            assertSame(expected, fromBytes, document);
        }
    }

    @Test
    void writesWhatToStringWrites() throws Exception {
        ObjectMapper mapper = exactMapper();
        for (String document : DOCUMENTS) {
            JsonNode node = mapper.readTree(document);
            assertEquals(node.toString(), JsonTree.text(node), document);
            assertEquals(node, mapper.readTree(JsonTree.text(node)), document);
        }
        assertEquals("{\"k\":[1.50,\"v\"]}", JsonTree.text(JsonTree.read("{ \"k\" : [ 1.50 , \"v\" ] }")));
    }

    @Test
    void lastOfARepeatedKeyWinsAndWhatFollowsTheFirstValueIsIgnoredAsBefore() throws Exception {
        ObjectMapper mapper = exactMapper();
        for (String document : List.of("{\"a\":1,\"a\":2}", "{\"a\":1} {\"b\":2}", "[1] trailing")) {
            assertSame(mapper.readTree(document), JsonTree.read(document), document);
        }
        assertEquals(2, JsonTree.read("{\"a\":1,\"a\":2}").get("a").intValue());
    }

    @Test
    void emptyTextIsTheMissingNode() throws Exception {
        assertTrue(JsonTree.read("").isMissingNode());
        assertTrue(JsonTree.read("   \n").isMissingNode());
        assertTrue(JsonTree.read(new byte[0]).isMissingNode());
    }

    @Test
    void malformedTextFailsWithGosWords() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{", "unexpected end of JSON input");
        cases.put("[1,", "unexpected end of JSON input");
        cases.put("\"open", "unexpected end of JSON input");
        cases.put("{\"a\" 1}", "invalid character '1' after object key");
        cases.put("{\"a\":1 \"b\":2}", "invalid character '\"' after object key:value pair");
        cases.put("{1:2}", "invalid character '1' looking for beginning of object key string");
        cases.put("[1,]", "invalid character ']' looking for beginning of value");
        cases.put("[1 2]", "invalid character '2' after array element");
        cases.put("[01]", "invalid character '1' after array element");
        cases.put("nul", "unexpected end of JSON input");
        cases.put("{\"a\":tru}", "invalid character '}' in literal true (expecting 'e')");
        cases.put("nulL", "invalid character 'L' in literal null (expecting 'l')");
        cases.put("x", "invalid character 'x' looking for beginning of value");
        cases.put("'a'", "invalid character '\\'' looking for beginning of value");
        cases.put("-x", "invalid character 'x' in numeric literal");
        cases.put("1.e5", "invalid character 'e' after decimal point in numeric literal");
        cases.put("1e+", "unexpected end of JSON input");
        cases.put("[1e+x]", "invalid character 'x' in exponent of numeric literal");
        cases.put("\"a\tb\"", "invalid character '\\t' in string literal");
        cases.put("\"a\u0001\"", "invalid character '\\x01' in string literal");
        cases.put("\"\\q\"", "invalid character 'q' in string escape code");
        cases.put("\"\\u12g4\"", "invalid character 'g' in \\u hexadecimal character escape");
        cases.forEach((bad, message) -> {
            IOException e = assertThrows(IOException.class, () -> JsonTree.read(bad), bad);
            assertEquals(message, e.getMessage(), bad);
            assertThrows(IOException.class, () -> exactMapper().readTree(bad), "Jackson refused " + bad + " too");
        });
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() throws Exception {
        String ok = "[".repeat(JsonTree.MAX_DEPTH) + "]".repeat(JsonTree.MAX_DEPTH);
        assertEquals(exactMapper().readTree(ok), JsonTree.read(ok));
        String deep = "[".repeat(JsonTree.MAX_DEPTH + 1) + "]".repeat(JsonTree.MAX_DEPTH + 1);
        assertEquals("exceeded max depth", assertThrows(IOException.class, () -> JsonTree.read(deep)).getMessage());
    }

    @Test
    void malformedUtf8ReadsAsReplacementCharacters() throws Exception {
        byte[] json = {'"', 'a', (byte) 0xff, 'b', '"'};
        assertEquals("a\ufffdb", JsonTree.read(json).textValue());
    }

    @Test
    void objectStartsEmptyAndKeepsInsertionOrder() {
        var object = JsonTree.object();
        object.put("z", "1").put("a", true).putArray("m").add("x");
        assertEquals("{\"z\":\"1\",\"a\":true,\"m\":[\"x\"]}", JsonTree.text(object));
        assertTrue(JsonTree.object().isEmpty());
    }

    /** Equal trees whose every node is also of the same class (IntNode vs LongNode, DecimalNode with its scale). */
    private static void assertSame(JsonNode expected, JsonNode actual, String document) {
        assertEquals(expected, actual, document);
        assertEquals(expected.getClass(), actual.getClass(), document + ": " + expected);
        if (expected.isNumber()) {
            assertEquals(expected.asText(), actual.asText(), document);
        }
        if (expected.isObject()) {
            assertEquals(expected.properties().stream().map(Map.Entry::getKey).toList(),
                    actual.properties().stream().map(Map.Entry::getKey).toList(), document);
            expected.properties().forEach(e -> assertSame(e.getValue(), actual.get(e.getKey()), document));
        } else if (expected.isArray()) {
            Iterator<JsonNode> a = actual.iterator();
            for (JsonNode e : expected) {
                assertSame(e, a.next(), document);
            }
        }
    }
}
