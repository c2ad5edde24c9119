package dev.berth.cli.template;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.api.types.GoName;
import dev.berth.api.types.GoTime;
import dev.berth.cli.template.GoType.Field;
import dev.berth.cli.template.GoType.MapOf;
import dev.berth.cli.template.GoType.SliceOf;
import dev.berth.cli.template.GoType.Struct;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.Annotation;
import java.lang.classfile.AnnotationElement;
import java.lang.classfile.AnnotationValue;
import java.lang.classfile.Attribute;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.RuntimeVisibleAnnotationsAttribute;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Go type of an Engine API record ({@code dev.berth.api.types}), read from the record itself,
 * so the JSON shape is described once. Fields come in component order; a field's JSON key is its
 * {@code @JsonProperty} (Jackson puts it on the accessor, not on the component), its Go name the
 * component's {@link GoName} or else the key; {@link GoTime} makes a {@code time.Time};
 * {@code @JsonInclude(NON_EMPTY)} on the component, or else on the record, is Go's
 * {@code omitempty} (any other inclusion, such as {@code NON_NULL}, is not). {@code String},
 * {@code boolean}, {@code int}/{@code long}, {@code List}, {@code Map} with string keys and
 * records annotated with {@link GoName} are understood; anything else is refused.
 *
 * <p>The annotations are read from the record's class file ({@code java.lang.classfile}), not
 * through reflection: reflection hands out each annotation as a proxy, and the JDK spins a proxy
 * class per annotation type on first use, which in a CLI call (interpreted, no AOT-cached proxies)
 * cost twice what reading the few class files does. The component types still come from reflection.
 */
public final class RecordTypes {

    private static final String GO_NAME = GoName.class.descriptorString();
    private static final String GO_TIME = GoTime.class.descriptorString();
    private static final String JSON_PROPERTY = JsonProperty.class.descriptorString();
    private static final String JSON_INCLUDE = JsonInclude.class.descriptorString();

    private RecordTypes() {
    }

    /**
     * The struct {@code record} mirrors.
     *
     * @throws IllegalArgumentException when the record has no {@link GoName} or a component a type
     *                                  with no Go counterpart here
     */
    public static Struct struct(Class<? extends Record> record) {
        ClassModel model = classFile(record);
        Map<String, Map<String, String>> onRecord = annotations(model.attributes());
        String name = onRecord.getOrDefault(GO_NAME, Map.of()).get("value");
        if (name == null) {
            throw new IllegalArgumentException(record.getName() + " names no Go struct (@GoName)");
        }
        boolean omitEmptyAll = nonEmpty(onRecord.get(JSON_INCLUDE));
        Map<String, Map<String, Map<String, String>>> onComponents = new HashMap<>();
        model.findAttribute(Attributes.record()).ifPresent(components -> components.components()
                .forEach(c -> onComponents.put(c.name().stringValue(), annotations(c.attributes()))));
        Map<String, Map<String, Map<String, String>>> onAccessors = new HashMap<>();
        for (MethodModel method : model.methods()) {
            if (method.methodTypeSymbol().parameterCount() == 0) {
                onAccessors.put(method.methodName().stringValue(), annotations(method.attributes()));
            }
        }
        List<Field> fields = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            Map<String, Map<String, String>> accessor = onAccessors.getOrDefault(component.getName(), Map.of());
            Map<String, Map<String, String>> own = onComponents.getOrDefault(component.getName(), Map.of());
            String property = accessor.getOrDefault(JSON_PROPERTY, Map.of()).getOrDefault("value", "");
            String jsonName = property.isEmpty() ? component.getName() : property;
            String goName = own.getOrDefault(GO_NAME, Map.of()).get("value");
            Map<String, String> include = accessor.get(JSON_INCLUDE);
            fields.add(new Field(goName == null ? jsonName : goName, jsonName, type(component, own.containsKey(GO_TIME)),
                    include == null ? omitEmptyAll : nonEmpty(include)));
        }
        return new Struct(name, fields);
    }

    private static ClassModel classFile(Class<?> type) {
        String resource = type.getName().replace('.', '/') + ".class";
        ClassLoader loader = type.getClassLoader() == null ? ClassLoader.getSystemClassLoader() : type.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no class file for " + type.getName());
            }
            return ClassFile.of().parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the class file of " + type.getName(), e);
        }
    }

    /**
     * The runtime-visible annotations among {@code attributes}: annotation type descriptor →
     * element name → value, strings as they are and enum constants by name; other kinds of
     * element are left out (none of the annotations read here has one).
     */
    private static Map<String, Map<String, String>> annotations(List<? extends Attribute<?>> attributes) {
        Map<String, Map<String, String>> found = new HashMap<>();
        for (Attribute<?> attribute : attributes) {
            if (attribute instanceof RuntimeVisibleAnnotationsAttribute visible) {
                for (Annotation annotation : visible.annotations()) {
                    Map<String, String> elements = new HashMap<>();
                    for (AnnotationElement element : annotation.elements()) {
                        if (element.value() instanceof AnnotationValue.OfString text) {
                            elements.put(element.name().stringValue(), text.stringValue());
                        } else if (element.value() instanceof AnnotationValue.OfEnum constant) {
                            elements.put(element.name().stringValue(), constant.constantName().stringValue());
                        }
                    }
                    found.put(annotation.className().stringValue(), elements);
                }
            }
        }
        return found;
    }

    private static GoType type(RecordComponent component, boolean goTime) {
        if (!goTime) {
            return type(component.getGenericType());
        }
        if (component.getType() != String.class) {
            throw new IllegalArgumentException(component + ": @GoTime is for RFC 3339 text, not " + component.getType());
        }
        return GoType.TIME;
    }

    private static GoType type(Type type) {
        if (type == String.class) {
            return GoType.STRING;
        }
        if (type == boolean.class || type == Boolean.class) {
            return GoType.BOOL;
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return GoType.INT;
        }
        if (type instanceof Class<?> c && c.isRecord()) {
            return struct(c.asSubclass(Record.class));
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return new SliceOf(type(p.getActualTypeArguments()[0]));
        }
        if (type instanceof ParameterizedType p && p.getRawType() == Map.class
                && p.getActualTypeArguments()[0] == String.class) {
            return new MapOf(type(p.getActualTypeArguments()[1]));
        }
        throw new IllegalArgumentException("no Go type for " + type.getTypeName());
    }

    /** {@code @JsonInclude(NON_EMPTY)}: the default value, {@code ALWAYS}, is not written to the class file. */
    private static boolean nonEmpty(Map<String, String> include) {
        return include != null && JsonInclude.Include.NON_EMPTY.name().equals(include.get("value"));
    }
}
