package dev.berth.it.crash;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Packs the agent's classes (this package, as compiled into the test classes) into a jar whose
 * manifest names {@link CrashAgent} as {@code Premain-Class}, for {@code -javaagent:}.
 */
public final class AgentJar {
    private AgentJar() {
    }

    /** Writes the jar to {@code target} and returns it. */
    public static Path write(Path target) {
        Path classes;
        try {
            classes = Path.of(CrashAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        String dir = CrashAgent.class.getPackageName().replace('.', '/');
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), CrashAgent.class.getName());
        try (OutputStream file = Files.newOutputStream(target);
                JarOutputStream jar = new JarOutputStream(file, manifest);
                Stream<Path> listing = Files.list(classes.resolve(dir))) {
            List<Path> files = listing.filter(p -> p.toString().endsWith(".class")).sorted().toList();
            for (Path p : files) {
                jar.putNextEntry(new JarEntry(dir + "/" + p.getFileName()));
                jar.write(Files.readAllBytes(p));
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("write " + target, e);
        }
        return target;
    }
}
