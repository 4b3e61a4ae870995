package io.ivsstageevents.testing;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * template.yaml as plain maps and lists. Short-form intrinsics ({@code !Ref X}, {@code !Sub ...}) become their
 * long form ({@code {Ref: X}}, {@code {Fn::Sub: ...}}), as CloudFormation itself reads them.
 */
public final class CloudFormationTemplate {
    public static final Path TEMPLATE = Path.of("template.yaml");

    private final Map<String, Object> document;

    private CloudFormationTemplate(Map<String, Object> document) {
        this.document = document;
    }

    public static CloudFormationTemplate load() {
        return load(TEMPLATE);
    }

    @SuppressWarnings("unchecked")
    public static CloudFormationTemplate load(Path path) {
        try (Reader reader = Files.newBufferedReader(path)) {
            return new CloudFormationTemplate((Map<String, Object>) new Yaml(new IntrinsicsConstructor()).load(reader));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    public Map<String, Object> document() {
        return document;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> resources() {
        return (Map<String, Object>) document.get("Resources");
    }

    /** A resource's Properties. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> properties(String logicalId) {
        Map<String, Object> resource = (Map<String, Object>) resources().get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
        }
        return (Map<String, Object>) resource.get("Properties");
    }

    /** Every parameter's declaration, by name. */
    @SuppressWarnings("unchecked")
    public Map<String, Map<String, Object>> parameters() {
        return (Map<String, Map<String, Object>>) document.get("Parameters");
    }

    /** A parameter's declaration: Type, Default, AllowedValues... */
    public Map<String, Object> parameter(String name) {
        Map<String, Object> parameter = parameters().get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("template.yaml has no parameter " + name);
        }
        return parameter;
    }

    /** The logical ids of the resources of one type, in template order. */
    @SuppressWarnings("unchecked")
    public List<String> resourcesOfType(String type) {
        return resources().entrySet().stream()
                .filter(entry -> type.equals(((Map<String, Object>) entry.getValue()).get("Type")))
                .map(Map.Entry::getKey)
                .toList();
    }

    private static final class IntrinsicsConstructor extends SafeConstructor {
        IntrinsicsConstructor() {
            super(new LoaderOptions());
            this.yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue().substring(1);
                    String function = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
                    Object value;
                    if (node instanceof ScalarNode scalar) {
                        value = constructScalar(scalar);
                    } else if (node instanceof SequenceNode sequence) {
                        value = constructSequence(sequence);
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    Map<String, Object> intrinsic = new LinkedHashMap<>();
                    intrinsic.put(function, value);
                    return intrinsic;
                }
            });
        }
    }
}
