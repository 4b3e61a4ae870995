package io.ivsstageevents.bench;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The function's jar with its HTTP client swapped for another of the SDK's, as the shade plugin would build it had
 * the pom chosen that client: the jars the HTTP client comparisons run.
 */
final class ClientJars {
    /** The HTTP clients compared, the function's first. */
    static final List<String> CLIENTS = List.of("url-connection", "apache", "apache5", "crt");

    private final Path lambdaJar;
    private final List<Path> classpath = new ArrayList<>();

    ClientJars(Path lambdaJar) {
        this.lambdaJar = lambdaJar;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classpath.add(Path.of(entry));
        }
    }

    /** The function's jar for url-connection, else the variant for the client. */
    JarAssembly forClient(String client) {
        Predicate<String> noUrlConnection = name -> !name.startsWith("software/amazon/awssdk/http/urlconnection/");
        return switch (client) {
            case "url-connection" -> new JarAssembly().add(lambdaJar);
            case "apache" -> new JarAssembly().add(lambdaJar, noUrlConnection).addAll(artifacts(
                    "apache-client", "httpclient", "httpcore", "commons-logging", "commons-codec"));
            case "apache5" -> new JarAssembly().add(lambdaJar, noUrlConnection).addAll(artifacts(
                    "apache5-client", "httpclient5", "httpcore5", "httpcore5-h2"));
            case "crt" -> new JarAssembly().add(lambdaJar, noUrlConnection)
                    .addAll(artifacts("aws-crt-client", "crt-core"))
                    .add(artifact("aws-crt"), name -> !name.matches("(linux|osx|windows)/.*")
                            || name.startsWith("linux/x86_64/glibc/"));
            default -> throw new IllegalArgumentException("no such client: " + client);
        };
    }

    List<Path> artifacts(String... artifactIds) {
        List<Path> found = new ArrayList<>();
        for (String artifactId : artifactIds) {
            found.add(artifact(artifactId));
        }
        return found;
    }

    /** A jar of the class path by its Maven artifactId (repository layout: .../artifactId/version/file.jar). */
    Path artifact(String artifactId) {
        return classpath.stream()
                .filter(p -> p.toString().endsWith(".jar") && p.getParent() != null
                        && p.getParent().getParent() != null
                        && p.getParent().getParent().getFileName().toString().equals(artifactId))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(artifactId + " is not on the bench class path"));
    }
}
