package dev.berth.api.types;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A component that is RFC 3339 text in the JSON and a {@code time.Time} in the docker CLI's Go
 * struct, so that templates print it as Go prints a time.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface GoTime {
}
