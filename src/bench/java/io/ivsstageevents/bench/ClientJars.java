package io.ivsstageevents.bench;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The function's jar with its HTTP client swapped for another of the SDK's, as the shade plugin would build it had
 * the pom chosen that client: the jars the HTTP client comparisons run. Whichever client the function carries is
 * taken out first (its module and the libraries under it), so a variant holds exactly one client.
 */
final class ClientJars {
    /** The HTTP clients compared, the function's first. */
    static final List<String> CLIENTS = List.of("apache", "url-connection", "apache5", "crt");
    /** Where the SDK's HTTP clients and the libraries they bring put their classes. */
    private static final List<String> CLIENT_PACKAGES = List.of("software/amazon/awssdk/http/urlconnection/",
            "software/amazon/awssdk/http/apache/", "software/amazon/awssdk/http/apache5/",
            "software/amazon/awssdk/http/crt/", "software/amazon/awssdk/crt/", "org/apache/http/", "org/apache/hc/",
            "org/apache/commons/logging/", "org/apache/commons/codec/", "mozilla/public-suffix-list.txt");

    private final Path lambdaJar;
    private final List<Path> classpath = new ArrayList<>();

    ClientJars(Path lambdaJar) {
        this.lambdaJar = lambdaJar;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classpath.add(Path.of(entry));
        }
    }

    /** The function's jar with the client's module and libraries in place of its own. */
    JarAssembly forClient(String client) {
        JarAssembly jar = withoutClients();
        return switch (client) {
            case "url-connection" -> jar.addAll(artifacts("url-connection-client"));
            case "apache" -> jar.addAll(artifacts(
                    "apache-client", "httpclient", "httpcore", "commons-logging", "commons-codec"));
            case "apache5" -> jar.addAll(artifacts("apache5-client", "httpclient5", "httpcore5", "httpcore5-h2"));
            case "crt" -> jar.addAll(artifacts("aws-crt-client", "crt-core"))
                    .add(artifact("aws-crt"), name -> !name.matches("(linux|osx|windows)/.*")
                            || name.startsWith("linux/x86_64/glibc/"));
            default -> throw new IllegalArgumentException("no such client: " + client);
        };
    }

    /** The function's jar without any HTTP client: what the variants and the naive peer start from. */
    JarAssembly withoutClients() {
        return new JarAssembly().add(lambdaJar, withoutClient());
    }

    static Predicate<String> withoutClient() {
        return name -> CLIENT_PACKAGES.stream().noneMatch(name::startsWith);
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
