package dev.berth.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TabWriterTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = TabWriterTest.class.getResourceAsStream("/docker/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Turns docker's aligned output back into tab-separated cells (cells never contain spaces here). */
    private static String cells(String table) {
        StringBuilder out = new StringBuilder();
        for (String line : table.split("\n")) {
            out.append(line.replace("NETWORK ID", "NETWORK_ID").trim().replaceAll(" +", "\t").replace("NETWORK_ID", "NETWORK ID"))
                    .append('\n');
        }
        return out.toString();
    }

    @Test
    void reproducesDockerNetworkLs() throws IOException {
        String expected = resource("network-ls.txt");
        assertEquals(expected, TabWriter.dockerTable().format(cells(expected)));
    }

    @Test
    void reproducesDockerNetworkLsWithLongerNames() throws IOException {
        String expected = resource("network-ls.after-create.txt");
        assertEquals(expected, TabWriter.dockerTable().format(cells(expected)));
    }

    @Test
    void minWidthAppliesAndLastCellIsNotPadded() {
        assertEquals("a            b\nlonger-cell  c\n",
                new TabWriter(10, 2, ' ').format("a\tb\nlonger-cell\tc\n"));
        assertEquals("ID        NAME\n", TabWriter.dockerTable().format("ID\tNAME\n"));
        assertEquals("exactly-7   x\n", TabWriter.dockerTable().format("exactly-7\tx\n"));
    }

    @Test
    void lineWithoutTabEndsTheColumnBlock() {
        String in = "a\tb\nno tabs here\nccccccccccccccc\td\n";
        assertEquals("a         b\nno tabs here\nccccccccccccccc   d\n", TabWriter.dockerTable().format(in));
    }

    @Test
    void trailingTabPadsTheLastColumnAndWidthsCountRunes() {
        assertEquals("é         x\n", TabWriter.dockerTable().format("é\tx\n"));
        assertEquals("a         \n", TabWriter.dockerTable().format("a\t\n"));
    }

    @Test
    void textWithoutFinalNewlineIsKept() {
        assertEquals("k         v", TabWriter.dockerTable().format("k\tv"));
        assertEquals("", TabWriter.dockerTable().format(""));
    }

    @Test
    void versionLayoutUsesMinWidth20Padding1() {
        String in = "Client:\n Version:\t28.2.2\n API version:\t1.50\n";
        assertEquals("Client:\n Version:           28.2.2\n API version:       1.50\n", new TabWriter(20, 1, ' ').format(in));
    }
}
