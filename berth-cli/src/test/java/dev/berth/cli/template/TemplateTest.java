package dev.berth.cli.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.format.JsonTree;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateTest {

    private static final GoType.Struct CONFIG = new GoType.Struct("t.Config", List.of(
            new GoType.Field("Subnet", "Subnet", GoType.STRING, true),
            new GoType.Field("Gateway", "Gateway", GoType.STRING, true)));
    private static final GoType.Struct NET = new GoType.Struct("t.Net", List.of(
            GoType.Field.of("Name", GoType.STRING),
            new GoType.Field("ID", "Id", GoType.STRING, false),
            GoType.Field.of("Created", GoType.TIME),
            GoType.Field.of("Internal", GoType.BOOL),
            GoType.Field.of("Config", new GoType.SliceOf(CONFIG)),
            GoType.Field.of("Options", new GoType.MapOf(GoType.STRING)),
            GoType.Field.of("Labels", new GoType.MapOf(GoType.STRING))));

    private static JsonNode json(String text) throws Exception {
        return JsonTree.read(text);
    }

    private static String run(String template, TemplateValue data) {
        return Template.parse(template, Functions.basic()).execute(data, Functions.basic());
    }

    private static Typed net() throws Exception {
        return Typed.decode(NET, json("""
                {"Name":"n1","Id":"abc","Created":"2026-11-28T00:47:52.5Z",
                 "Config":[{"Subnet":"10.0.0.0/24","Gateway":"10.0.0.1"},{"Subnet":"fd00::/64"}],
                 "Options":{"z":"1","a":"<2>"},"Labels":null}"""), ZoneId.of("UTC"));
    }

    @Test
    void fieldsChainsAndGoPrinting() throws Exception {
        Typed n = net();
        assertEquals("n1 abc false", run("{{.Name}} {{.ID}} {{.Internal}}", n));
        assertEquals("2026-11-28 00:47:52.5 +0000 UTC", run("{{.Created}}", n));
        assertEquals("map[a:<2> z:1] map[]", run("{{.Options}} {{.Labels}}", n));
        assertEquals("[{10.0.0.0/24 10.0.0.1} {fd00::/64 }]", run("{{.Config}}", n));
        assertEquals("<no value>", run("{{.Options.missing}}", n));
    }

    @Test
    void jsonIndexRangeAndControl() throws Exception {
        Typed n = net();
        assertEquals("{\"a\":\"<2>\",\"z\":\"1\"} null", run("{{json .Options}} {{json .Labels}}", n));
        assertEquals("[{\"Subnet\":\"10.0.0.0/24\",\"Gateway\":\"10.0.0.1\"},{\"Subnet\":\"fd00::/64\"}]", run("{{json .Config}}", n));
        assertEquals("\"2026-11-28T00:47:52.5Z\"", run("{{json .Created}}", n));
        assertEquals("<2>|", run("{{index .Options \"a\"}}|{{index .Options \"nope\"}}", n));
        assertEquals("10.0.0.0/24,fd00::/64,", run("{{range .Config}}{{.Subnet}},{{end}}", n));
        assertEquals("0=10.0.0.0/24 1=fd00::/64 ", run("{{range $i, $c := .Config}}{{$i}}={{$c.Subnet}} {{end}}", n));
        assertEquals("a=<2>;z=1;", run("{{range $k, $v := .Options}}{{$k}}={{$v}};{{end}}", n));
        assertEquals("none", run("{{range .Labels}}x{{else}}none{{end}}", n));
        assertEquals("int", run("{{if .Internal}}ext{{else if eq .Name \"n1\"}}int{{end}}", n));
        assertEquals("n1", run("{{with .Name}}{{.}}{{end}}", n));
        assertEquals("2 N1 n1", run("{{len .Config}} {{upper .Name}} {{.Name | lower}}", n));
        assertEquals("a-b", run("{{join (split \"a,b\" \",\") \"-\"}}", n));
        assertEquals("x\ty", run("x  {{- \"\\t\" -}}  y", n));
        assertEquals("ab", run("a{{/* comment */}}b", n));
    }

    @Test
    void rawJsonIsAStrictGoMap() throws Exception {
        TemplateValue raw = RawJson.of(json("{\"Id\":\"x\",\"IPAM\":{\"Options\":null,\"Config\":[{\"Subnet\":\"s\",\"Gateway\":\"g\"}]},\"n\":1.50}"));
        assertEquals("x <no value> 1.50", run("{{.Id}} {{.IPAM.Options}} {{.n}}", raw));
        assertEquals("map[Config:[map[Gateway:g Subnet:s]] Options:<nil>]", run("{{.IPAM}}", raw));
        assertEquals("{\"Config\":[{\"Gateway\":\"g\",\"Subnet\":\"s\"}],\"Options\":null}", run("{{json .IPAM}}", raw));
        TemplateException e = assertThrows(TemplateException.class, () -> run("{{.Foo}}", raw));
        assertEquals("template: :1:2: executing \"\" at <.Foo>: map has no entry for key \"Foo\"", e.getMessage());
    }

    @Test
    void errorsReadLikeGo() throws Exception {
        Typed n = net();
        assertEquals("template: :1:7: executing \"\" at <.Name.Foo>: can't evaluate field Foo in type string",
                assertThrows(TemplateException.class, () -> run("{{.Name.Foo}}", n)).getMessage());
        assertEquals("template: :1: unclosed action",
                assertThrows(TemplateException.class, () -> Template.parse("{{.Id", Functions.basic())).getMessage());
        assertEquals("template: :1: bad character U+007D '}'",
                assertThrows(TemplateException.class, () -> Template.parse("{{.Id} }}", Functions.basic())).getMessage());
        assertEquals("template: :1: function \"nope\" not defined",
                assertThrows(TemplateException.class, () -> Template.parse("{{nope .}}", Functions.basic())).getMessage());
    }

    @Test
    void decodeRejectsWhatGoWouldNot() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Typed.decode(NET, json("{\"Created\":\"\"}"), ZoneId.of("UTC")));
        assertEquals("parsing time \"\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"2006\"", e.getMessage());
    }

    @Test
    void headerFunctionsPassThrough() {
        TemplateValue header = Scalar.string("NAME");
        assertEquals("NAME", Template.parse("{{json .}}", Functions.basic()).execute(header, Functions.header()));
    }
}
