package dev.berth.cli.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class QueryTest {

    @Test
    void filtersEncodeLikeTheDockerClient() {
        TreeMap<String, TreeSet<String>> filters = new TreeMap<>();
        filters.put("name", new TreeSet<>(List.of("x y*~")));
        filters.put("driver", new TreeSet<>(List.of("bridge")));
        filters.put("label", new TreeSet<>(List.of("a=b")));
        String json = Query.filtersJson(filters);
        assertEquals("{\"driver\":{\"bridge\":true},\"label\":{\"a=b\":true},\"name\":{\"x y*~\":true}}", json);
        // captured from docker network ls -f driver=bridge -f 'Name = x y*~' -f label=a=b
        assertEquals("?filters=%7B%22driver%22%3A%7B%22bridge%22%3Atrue%7D%2C%22label%22%3A%7B%22a%3Db%22%3Atrue%7D%2C"
                + "%22name%22%3A%7B%22x+y%2A~%22%3Atrue%7D%7D", Query.encode(Map.of("filters", List.of(json))));
    }

    @Test
    void noFiltersNoParameter() {
        assertNull(Query.filtersJson(new TreeMap<>()));
        assertEquals("", Query.encode(Map.of()));
        assertEquals("?a=1&b=%3C%26%3E", Query.encode(Map.of("b", List.of("<&>"), "a", List.of("1"))));
        assertEquals("{\"label\":{\"\\u003c\":true}}", Query.filtersJson(new TreeMap<>(Map.of("label", new TreeSet<>(List.of("<"))))));
    }
}
