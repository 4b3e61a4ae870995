package io.ivsstageevents.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Builds the variant jars the benchmark compares (another HTTP client, an EMF library, the naive peer) the way the
 * shade plugin builds the function's: entries merged first-wins, service files concatenated, signatures and
 * module descriptors dropped. Service lines naming a class the jar does not hold are dropped too, so that removing
 * a module (the url-connection client, say) leaves no dangling provider.
 */
public final class JarAssembly {
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private final Map<String, Set<String>> services = new LinkedHashMap<>();

    /** Adds a jar's entries that pass the filter; an entry already added wins. */
    public JarAssembly add(Path jar, Predicate<String> keep) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                if (entry.isDirectory() || !keep.test(name) || isDropped(name)) {
                    continue;
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    byte[] bytes = in.readAllBytes();
                    if (name.startsWith("META-INF/services/")) {
                        Set<String> lines = services.computeIfAbsent(name, n -> new LinkedHashSet<>());
                        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                            String provider = line.replaceAll("#.*", "").trim();
                            if (!provider.isEmpty()) {
                                lines.add(provider);
                            }
                        }
                    } else {
                        entries.putIfAbsent(name, bytes);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + jar, e);
        }
        return this;
    }

    /** Adds the class files under a path of a classes folder, a package directory or one class file. */
    public JarAssembly addClasses(Path classesRoot, String packagePath) {
        try (var files = Files.walk(classesRoot.resolve(packagePath))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                entries.putIfAbsent(classesRoot.relativize(file).toString(), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + classesRoot, e);
        }
        return this;
    }

    /** Adds one entry as given (a resource the benchmark writes, say); an entry already added wins. */
    public JarAssembly addEntry(String name, byte[] bytes) {
        entries.putIfAbsent(name, bytes);
        return this;
    }

    public JarAssembly add(Path jar) {
        return add(jar, name -> true);
    }

    public JarAssembly addAll(List<Path> jars) {
        jars.forEach(this::add);
        return this;
    }

    /** Writes the jar; returns its size in bytes. */
    public long write(Path out) {
        try {
            Files.createDirectories(out.getParent());
            try (OutputStream file = Files.newOutputStream(out); ZipOutputStream zip = new ZipOutputStream(file)) {
                for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                    zip.putNextEntry(new ZipEntry(entry.getKey()));
                    zip.write(entry.getValue());
                    zip.closeEntry();
                }
                for (Map.Entry<String, Set<String>> service : services.entrySet()) {
                    List<String> present = new ArrayList<>();
                    for (String provider : service.getValue()) {
                        if (entries.containsKey(provider.replace('.', '/') + ".class")) {
                            present.add(provider);
                        }
                    }
                    if (!present.isEmpty()) {
                        zip.putNextEntry(new ZipEntry(service.getKey()));
                        zip.write((String.join("\n", present) + "\n").getBytes(StandardCharsets.UTF_8));
                        zip.closeEntry();
                    }
                }
            }
            return Files.size(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + out, e);
        }
    }

    private static boolean isDropped(String name) {
        return name.endsWith("module-info.class")
                || name.matches("META-INF/[^/]+\\.(SF|DSA|RSA)");
    }
}
