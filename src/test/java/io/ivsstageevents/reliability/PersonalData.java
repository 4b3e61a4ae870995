package io.ivsstageevents.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The personal data an input carries: user ids (the detail's and each token's) and token attributes, names and
 * values. Found in the JSON tree where the input parses (message bodies included, for queue batches), and by
 * pattern in the raw text too, so that a truncated or mis-encoded input still gives up what it holds.
 */
final class PersonalData {
    /** Shorter strings would be found by chance in any log line ("a" in "participant"). */
    private static final int SHORTEST = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Possessive, so that a megabyte-long string is matched in a loop, not by a recursion per character. */
    private static final String STRING = "\"((?:[^\"\\\\]++|\\\\.)*+)\"";
    private static final Pattern USER_ID = Pattern.compile("\"(?:user_id|userId)\"\\s*:\\s*" + STRING);
    private static final Pattern ATTRIBUTES = Pattern.compile("\"attributes\"\\s*:\\s*\\{([^{}]*)");
    private static final Pattern MEMBER = Pattern.compile(STRING + "\\s*:\\s*" + STRING);

    private PersonalData() {
    }

    static Set<String> in(byte[] input) {
        Set<String> found = new TreeSet<>();
        String text = new String(input, StandardCharsets.UTF_8);
        collect(USER_ID.matcher(text), 1, found);
        Matcher attributes = ATTRIBUTES.matcher(text);
        while (attributes.find()) {
            Matcher member = MEMBER.matcher(attributes.group(1));
            while (member.find()) {
                add(member.group(1), found);
                add(member.group(2), found);
            }
        }
        try {
            walk(JSON.readTree(input), false, found);
        } catch (Exception notJson) {
            // The patterns above are all there is to go by.
        }
        return found;
    }

    private static void walk(JsonNode node, boolean isAttributes, Set<String> found) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                String name = member.getKey();
                JsonNode value = member.getValue();
                if (isAttributes) {
                    add(name, found);
                    if (value.isTextual()) {
                        add(value.textValue(), found);
                    }
                }
                if ((name.equals("user_id") || name.equals("userId")) && value.isTextual()) {
                    add(value.textValue(), found);
                }
                walk(value, name.equals("attributes"), found);
            }
        } else if (node.isArray()) {
            node.forEach(element -> walk(element, false, found));
        } else if (node.isTextual() && node.textValue().startsWith("{")) {
            // A queue message's body: an event within the event.
            try {
                walk(JSON.readTree(node.textValue()), false, found);
            } catch (Exception notJson) {
                // Just a string.
            }
        }
    }

    private static void collect(Matcher matcher, int group, Set<String> found) {
        while (matcher.find()) {
            add(matcher.group(group), found);
        }
    }

    private static void add(String value, Set<String> found) {
        if (value.length() >= SHORTEST) {
            found.add(value);
        }
    }
}
