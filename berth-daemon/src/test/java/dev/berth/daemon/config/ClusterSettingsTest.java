package dev.berth.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ClusterSettings parse(String json) throws Exception {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        JSON.readTree(json).properties().forEach(e -> values.put(e.getKey(), e.getValue()));
        return ClusterSettings.parse(values, IllegalArgumentException::new);
    }

    private static String refused(String json) {
        return assertThrows(IllegalArgumentException.class, () -> parse(json)).getMessage();
    }

    @Test
    void noStoreIsNoCluster() throws Exception {
        assertFalse(parse("{}").enabled());
        assertTrue(refused("{\"cluster-advertise\": \"eth0\"}").contains(
                "--cluster-advertise must be accompanied by --cluster-store configuration"));
    }

    @Test
    void etcdEndpointsAdvertiseAndTtl() throws Exception {
        ClusterSettings s = parse("{\"cluster-store\": \"etcd://198.51.100.1:2379,h2:2379\","
                + " \"cluster-advertise\": \"eth0:2376\", \"cluster-store-opts\": {\"discovery.ttl\": \"7\"}}");
        assertEquals(List.of("http://198.51.100.1:2379", "http://h2:2379"), s.endpoints());
        assertEquals("eth0", s.advertise());
        assertEquals(Optional.empty(), s.advertiseAddress());
        assertEquals(7, s.ttlSeconds());
        assertEquals("etcd://198.51.100.1:2379,h2:2379", s.storeText());
        ClusterSettings byAddress = parse("{\"cluster-store\": \"etcd://h:2379\", \"cluster-advertise\": \"198.51.100.2\"}");
        assertEquals(Optional.of("198.51.100.2"), byAddress.advertiseAddress());
        assertEquals(ClusterSettings.DEFAULT_TTL, byAddress.ttlSeconds());
    }

    @Test
    void tlsFilesAsDockerdTookThemMakeTheEndpointsHttps() throws Exception {
        ClusterSettings s = parse("{\"cluster-store\": \"etcd://198.51.100.1:2379\", \"cluster-advertise\": \"eth0\","
                + " \"cluster-store-opts\": {\"kv.cacertfile\": \"/etc/b/ca.pem\", \"kv.certfile\": \"/etc/b/cert.pem\","
                + " \"kv.keyfile\": \"/etc/b/key.pem\"}}");
        assertEquals(List.of("https://198.51.100.1:2379"), s.endpoints());
        assertEquals(Optional.of(new dev.berth.cluster.etcd.EtcdTls(java.nio.file.Path.of("/etc/b/ca.pem"),
                java.nio.file.Path.of("/etc/b/cert.pem"), java.nio.file.Path.of("/etc/b/key.pem"))), s.tls());
        assertEquals("etcd://198.51.100.1:2379", s.storeText());
        assertEquals(Optional.empty(), parse("{\"cluster-store\": \"etcd://h:2379\", \"cluster-advertise\": \"eth0\"}").tls());
    }

    @Test
    void badValuesAreRefusedWithTheOptionNamed() {
        assertTrue(refused("{\"cluster-store\": \"consul://h:8500\", \"cluster-advertise\": \"eth0\"}")
                .contains("Berth speaks to etcd only"));
        assertTrue(refused("{\"cluster-store\": \"etcd://h\", \"cluster-advertise\": \"eth0\"}")
                .contains("give host:port"));
        assertTrue(refused("{\"cluster-store\": \"etcd://h:2379\"}").contains("needs cluster-advertise"));
        assertTrue(refused("{\"cluster-store\": \"etcd://h:2379\", \"cluster-advertise\": \"eth0\","
                + " \"cluster-store-opts\": {\"kv.cacertfile\": \"/ca.pem\"}}").contains(
                "TLS to etcd needs all of kv.cacertfile, kv.certfile, kv.keyfile in cluster-store-opts (given: kv.cacertfile)"));
        assertTrue(refused("{\"cluster-store\": \"etcd://h:2379\", \"cluster-advertise\": \"eth0\","
                + " \"cluster-store-opts\": {\"kv.keyfile\": 3}}").contains("kv.keyfile must be a file path"));
        assertTrue(refused("{\"cluster-store\": \"etcd://h:2379\", \"cluster-advertise\": \"eth0\","
                + " \"cluster-store-opts\": {\"kv.path\": \"/x\"}}").contains("unsupported cluster-store-opts option \"kv.path\""));
        assertTrue(refused("{\"cluster-store\": \"etcd://h:2379\", \"cluster-advertise\": \"eth0\","
                + " \"cluster-store-opts\": {\"discovery.ttl\": \"1\"}}").contains("at least 2"));
    }
}
