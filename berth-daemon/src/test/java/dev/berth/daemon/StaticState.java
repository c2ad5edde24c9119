package dev.berth.daemon;

import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaStaticInitializer;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * "No static mutable state", read from the bytecode: a static field is state when it is not
 * final, or final but holding something whose contents change: an array, a concrete collection
 * or map class, an atomic or a StringBuilder, or a collection or map typed field that the static
 * initializer fills with a new mutable collection ({@code new ArrayList<>()}, {@code new
 * HashMap<>()}...) without wrapping it ({@code List.copyOf}, {@code Collections.unmodifiable*}).
 * Compiler-made fields (an enum's {@code $VALUES}) are not the code's state.
 */
final class StaticState {
    private StaticState() {
    }

    static ArchCondition<JavaField> holdNoMutableState() {
        return new ArchCondition<>("hold no mutable state") {
            @Override
            public void check(JavaField field, ConditionEvents events) {
                if (field.getModifiers().contains(JavaModifier.SYNTHETIC)) {
                    return;
                }
                whyMutable(field).ifPresent(why -> events.add(SimpleConditionEvent.violated(field,
                        field.getFullName() + "> is static mutable state: " + why)));
            }
        };
    }

    private static Optional<String> whyMutable(JavaField field) {
        if (!field.getModifiers().contains(JavaModifier.FINAL)) {
            return Optional.of("not final");
        }
        JavaClass type = field.getRawType();
        if (type.isArray()) {
            return Optional.of("an array, whose elements anyone can set");
        }
        if (type.getPackageName().equals("java.util.concurrent.atomic") || type.isEquivalentTo(StringBuilder.class)) {
            return Optional.of("a " + type.getSimpleName());
        }
        boolean container = type.isAssignableTo(Collection.class) || type.isAssignableTo(Map.class);
        if (!container) {
            return Optional.empty();
        }
        if (!type.isInterface() && type.getPackageName().startsWith("java.")) {
            return Optional.of("a " + type.getSimpleName() + ", a mutable collection");
        }
        return field.getOwner().getStaticInitializer().flatMap(init -> filledMutably(init, field));
    }

    /** The accesses of the initializer that compute this field's value: those between the previous static field write and its own. */
    private static Optional<String> filledMutably(JavaStaticInitializer init, JavaField field) {
        List<JavaFieldAccess> writes = init.getFieldAccesses().stream()
                .filter(a -> a.getAccessType() == JavaFieldAccess.AccessType.SET)
                .sorted(Comparator.comparingInt(JavaAccess::getLineNumber)).toList();
        int from = Integer.MIN_VALUE;
        for (JavaFieldAccess write : writes) {
            if (write.getTarget().getName().equals(field.getName())
                    && write.getTarget().getOwner().equals(field.getOwner())) {
                int start = from;
                int end = write.getLineNumber();
                List<? extends JavaAccess<?>> calls = init.getAccessesFromSelf().stream()
                        .filter(a -> a.getLineNumber() > start && a.getLineNumber() <= end).toList();
                boolean wrapped = calls.stream().anyMatch(a -> isWrapping(a.getTarget()));
                Optional<String> made = calls.stream().filter(a -> a.getTarget() instanceof AccessTarget.ConstructorCallTarget)
                        .map(a -> a.getTarget().getOwner())
                        .filter(c -> c.isAssignableTo(Collection.class) || c.isAssignableTo(Map.class))
                        .map(c -> "filled with a new " + c.getSimpleName()).findFirst();
                return wrapped ? Optional.empty() : made;
            }
            from = write.getLineNumber();
        }
        return Optional.empty();
    }

    private static boolean isWrapping(AccessTarget target) {
        String name = target.getName();
        return target.getOwner().getPackageName().equals("java.util")
                && (name.startsWith("unmodifiable") || name.equals("copyOf") || name.equals("of")
                || name.equals("ofEntries") || name.startsWith("toUnmodifiable"));
    }
}
