package dev.berth.cli.template;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.api.types.GoName;
import dev.berth.api.types.GoTime;
import dev.berth.cli.template.GoType.Field;
import dev.berth.cli.template.GoType.MapOf;
import dev.berth.cli.template.GoType.SliceOf;
import dev.berth.cli.template.GoType.Struct;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
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
 */
public final class RecordTypes {

    private RecordTypes() {
    }

    /**
     * The struct {@code record} mirrors.
     *
     * @throws IllegalArgumentException when the record has no {@link GoName} or a component a type
     *                                  with no Go counterpart here
     */
    public static Struct struct(Class<? extends Record> record) {
        GoName name = record.getAnnotation(GoName.class);
        if (name == null) {
            throw new IllegalArgumentException(record.getName() + " names no Go struct (@GoName)");
        }
        boolean omitEmptyAll = nonEmpty(record.getAnnotation(JsonInclude.class));
        List<Field> fields = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            Method accessor = component.getAccessor();
            JsonProperty property = accessor.getAnnotation(JsonProperty.class);
            String jsonName = property == null || property.value().isEmpty() ? component.getName() : property.value();
            GoName goName = component.getAnnotation(GoName.class);
            JsonInclude include = accessor.getAnnotation(JsonInclude.class);
            fields.add(new Field(goName == null ? jsonName : goName.value(), jsonName, type(component),
                    include == null ? omitEmptyAll : nonEmpty(include)));
        }
        return new Struct(name.value(), fields);
    }

    private static GoType type(RecordComponent component) {
        if (!component.isAnnotationPresent(GoTime.class)) {
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

    private static boolean nonEmpty(JsonInclude include) {
        return include != null && include.value() == JsonInclude.Include.NON_EMPTY;
    }
}
