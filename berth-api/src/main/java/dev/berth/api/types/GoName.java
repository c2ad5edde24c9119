package dev.berth.api.types;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The name the docker CLI's Go code gives a record or a component: on a record the Go struct it
 * decodes into (e.g. {@code network.Inspect}), on a component the Go field, where it differs from
 * the JSON key (e.g. {@code ID} for {@code Id}). The CLI's templates see Go names; a component
 * without it is named as its JSON key.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.RECORD_COMPONENT})
public @interface GoName {

    /** The Go type or field name. */
    String value();
}
